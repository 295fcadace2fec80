"""Draft-decision comment periods (重大决策预公开 / 意见征集)."""
