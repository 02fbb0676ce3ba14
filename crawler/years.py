"""The report years a run archives: `-a years=2008-2018`, `2015`, `2019-`, `-2012`."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class YearRange:
    start: int | None = None
    end: int | None = None

    @classmethod
    def parse(cls, text: str | None) -> "YearRange":
        """Parse '2008-2018', '2015', '2019-' or '-2012'; empty means every year."""
        if not text or not text.strip():
            return cls()
        text = text.strip()
        if "-" not in text:
            year = _year(text)
            return cls(year, year)
        low, high = (part.strip() for part in text.split("-", 1))
        if not low and not high:
            raise ValueError(f"years: {text!r} names no year (give 2008-2018, 2015, 2019- or -2012)")
        start, end = (_year(low) if low else None), (_year(high) if high else None)
        if start and end and start > end:
            raise ValueError(f"years: {text!r} runs backwards")
        return cls(start, end)

    def __str__(self) -> str:
        """'' for every year, else the range as given to -a years= ('2008-2018', '2015-2015', '2019-')."""
        if self.start is None and self.end is None:
            return ""
        return f"{self.start or ''}-{self.end or ''}"

    def __contains__(self, year: int | None) -> bool:
        if year is None:
            return True     # unknown years are kept: the pipelines decide once the report is read
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)

    def wants_title_year(self, year: int | None) -> bool:
        """Fetch a report link whose title names this year?"""
        return year in self

    def wants_column(self, year: int | None) -> bool:
        """Follow a year sub-column? Its year is a publication or report year: allow one either way."""
        if year is None:
            return True
        return year in self or (year - 1) in self or (year + 1) in self

    def is_past(self, years_on_page: list[int]) -> bool:
        """A newest-first page whose dates all lie before the range (publication can lag one year)."""
        if self.start is None or not years_on_page:
            return False
        # Newest first only on evidence: two different years, descending. A page of one year says nothing
        # about the order (an oldest-first column can open with a lone 2010 report among its news).
        newest_first = len(set(years_on_page)) >= 2 and all(a >= b for a, b in zip(years_on_page, years_on_page[1:]))
        return newest_first and max(years_on_page) < self.start


def _year(text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"years: {text!r} is not a year (give 2008-2018, 2015, 2019- or -2012)")
    year = int(text)
    if not 1990 <= year <= 2100:
        raise ValueError(f"years: {year} is not a report year")
    return year
