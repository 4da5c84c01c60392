"""The periodic work of the portal: one job table, one scheduler, the run log and the outgoing mail queue.

``jobs.table`` lists every job; ``manage.py scheduler`` runs them (APScheduler) and ``--once`` runs the due
ones once; ``jobs.mail`` queues e-mails inside requests and delivers them from the scheduler.
"""
