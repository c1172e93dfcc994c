"""Code lists (factors, harms, outcomes, reasons, grades) as bilingual data with stable codes."""
