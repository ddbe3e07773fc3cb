"""The input side: the contract (schema), reading, validation, typed tables."""
