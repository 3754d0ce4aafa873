"""Bilingual full-text search over measures (PostgreSQL FTS, jieba, OpenCC, a glossary)."""
