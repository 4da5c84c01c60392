"""The door of 区编办 and 区政府法制办: disputes, accountability and supervision (周政办字〔2018〕18号)."""
