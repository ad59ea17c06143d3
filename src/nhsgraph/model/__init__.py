"""The model: dates, the predicate vocabulary and statements. Knows no database."""
