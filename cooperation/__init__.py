"""协作机制: the working systems of 周政办字〔2018〕18号 — joint meetings, case transfer, first-inquiry
responsibility and information requests — with their state machines, deadlines, statistics and screens."""
