"""Versioned bilingual questionnaire definitions: the core dataset's screens and local questions."""
