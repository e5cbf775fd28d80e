"""Shared by the generators in data/: entries as the ledger imports them ({"type", "data"} a line), in
effective-time order, written deterministically (no clock, no randomness).

Every entry carries a `source`: the URL of a public page that supports it. Where that page does not give
the detail the entry needs (a time of day, which member, the wording), the entry's `note` says what is
reconstructed. A generator's main() writes its file, prints it (--stdout) or checks that the file on disk
is what it generates (--check), which is what the test suite runs.
"""
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path


def ts(s):
    """'2017-05-14 09:00' (UTC) -> aware datetime."""
    return datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


class Ledger:
    """The entries of one review, kept in insertion order and sorted by effective time when written."""

    def __init__(self):
        self.entries = []  # (effectiveAt, insertion index, type, data)

    def ev(self, type_, at, fields, source, meeting=None, note=None):
        if not source or not source.startswith("https://") and not source.startswith("http://"):
            raise ValueError(f"{type_} at {at}: the source must be a URL, not {source!r}")
        data = {"effectiveAt": iso(at)}
        data.update(fields)
        if meeting is not None:
            data["meetingId"] = meeting
        data["source"] = source
        if note is not None:
            data["note"] = note
        self.entries.append((at, len(self.entries), type_, data))
        return at

    def meeting(self, mid, title, fmt, location, starts, ends, scheduled_on, source, note=None,
                attendees=None, observers=0, held_note=None, held=True):
        """A meeting scheduled on `scheduled_on` and, when `held`, held at its start with the attendance given
        (attendees None: not recorded in the sources, so an empty list and a note saying so)."""
        s, e = ts(starts), ts(ends)
        self.ev("MeetingScheduled", ts(scheduled_on),
                {"title": title, "format": fmt, "location": location, "startsAt": iso(s), "endsAt": iso(e)},
                source, meeting=mid, note=note)
        if held:
            if attendees is None:
                held_note = (held_note + " " if held_note else "") + \
                    "Attendance is not given in the source cited: no attendees are listed here."
            self.ev("MeetingHeld", s, {"attendees": attendees or [], "observers": observers}, source,
                    meeting=mid, note=held_note)
        return s

    def lines(self):
        ordered = sorted(self.entries, key=lambda e: (e[0], e[1]))
        return [json.dumps({"type": t, "data": d}, ensure_ascii=False) + "\n" for _, _, t, d in ordered]


def main(build, out: Path):
    """`build()` returns a Ledger. No argument: write `out`; --stdout: print; --check: compare with `out`."""
    text = "".join(build().lines())
    if "--stdout" in sys.argv[1:]:
        sys.stdout.write(text)
        return 0
    if "--check" in sys.argv[1:]:
        if out.read_text(encoding="utf-8") != text:
            print(f"{out.name} is not what {Path(sys.argv[0]).name} generates: run it to rewrite the file", file=sys.stderr)
            return 1
        print(f"{out.name}: {text.count(chr(10))} lines, as generated")
        return 0
    out.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {text.count(chr(10))} lines to {out}")
    return 0


def minutes(dt, n):
    return dt + timedelta(minutes=n)
