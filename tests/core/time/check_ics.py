#!/usr/bin/env python3
"""Parses an iCalendar file with Python's icalendar package (tests of `pm calendar export`) and
prints one line per event, tab-separated: UID, DTSTART and DTEND in ISO 8601 (with the offset
its TZID gives), SEQUENCE, RRULE, EXDATEs (comma-separated), SUMMARY (line breaks as \\n).
Exits 1 when the file does not parse or lacks what RFC 5545 requires of it."""
import sys

from icalendar import Calendar


def main(path):
    with open(path, 'rb') as f:
        cal = Calendar.from_ical(f.read())
    for key in ('VERSION', 'PRODID'):
        if key not in cal:
            print(f'no {key}', file=sys.stderr)
            return 1
    for ev in cal.walk('VEVENT'):
        for key in ('UID', 'DTSTAMP', 'DTSTART'):
            if key not in ev:
                print(f'an event without {key}', file=sys.stderr)
                return 1
        start = ev.decoded('DTSTART')
        end = ev.decoded('DTEND') if 'DTEND' in ev else ''
        rrule = ev['RRULE'].to_ical().decode() if 'RRULE' in ev else ''
        exdates = []
        ex = ev.get('EXDATE')
        for group in (ex if isinstance(ex, list) else [ex] if ex is not None else []):
            exdates += [d.dt.isoformat() for d in group.dts]
        fields = [str(ev['UID']), start.isoformat(), end.isoformat() if end else '',
                  str(ev.get('SEQUENCE', 0)), rrule, ','.join(exdates),
                  str(ev['SUMMARY']).replace('\n', '\\n')]
        print('\t'.join(fields))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
