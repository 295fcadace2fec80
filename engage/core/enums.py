"""String enums whose members carry their label, so a status and the words for it are written once, together."""

import enum


class LabelledStrEnum(enum.StrEnum):
    """A string enum whose members carry a (lazily translated) label: ``DRAFT = "draft", _l("Draft")``.

    The value is the string alone, so a column built with ``str_enum`` stores what it stored before and a
    member still equals its string; ``label`` is what people read, on pages and in exports alike.
    """

    label: str

    def __new__(cls, value: str, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(value, label)`` of every member in order, as a select field takes its choices."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def label_of(cls, value) -> str:
        """The label of ``value`` (a member or its string); a value that is no member is shown as it is."""
        try:
            return str(cls(str(value)).label)
        except ValueError:
            return str(value)
