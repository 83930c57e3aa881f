#!/usr/bin/env python3
"""Checks that a message built by pm parses back with Python's standard email package.

Usage: check_eml.py FILE.eml EXPECTED_SUBJECT EXPECTED_BODY_SUBSTRING

Parses FILE.eml with email.policy.default (the strict, RFC-aware parser), then checks the
decoded Subject, prints the decoded display names of From/To/Cc/Bcc, checks that the body
decodes and contains the substring, and reports parser defects. Exits 1 on any mismatch,
2 on wrong usage.

Display names are printed, not compared: until CPython gh-128110 (fixed upstream), the
default policy keeps the folding between two encoded-words of a display name as a space,
against RFC 2047 6.2, so a long name may show one space too many here.
"""
import email.parser
import email.policy
import sys


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path, expected_subject, expected_body = argv[1], argv[2], argv[3]
    with open(path, "rb") as file:
        msg = email.parser.BytesParser(policy=email.policy.default).parse(file)

    problems = []
    # Defects are what the parser had to work around: malformed encoded-words, bad folding,
    # invalid addresses. A message pm builds should have none.
    for part in msg.walk():
        problems += [f"message defect: {defect!r}" for defect in part.defects]
    for name in ("Date", "From", "To", "Cc", "Bcc", "Subject", "Message-ID"):
        header = msg[name]
        if header is not None:
            problems += [f"{name} defect: {defect!r}" for defect in header.defects]

    if msg["subject"] != expected_subject:
        problems.append(f"subject is {msg['subject']!r}, expected {expected_subject!r}")

    for name in ("From", "To", "Cc", "Bcc"):
        header = msg[name]
        if header is None:
            continue
        for address in header.addresses:
            print(f"{name}: display name {address.display_name!r} address {address.addr_spec!r}")
    if not msg["From"] or not msg["From"].addresses:
        problems.append("the message has no parseable From address")

    if msg.get_content_type() != "text/plain":
        problems.append(f"content type is {msg.get_content_type()!r}, expected text/plain")
    body = msg.get_content()
    if expected_body not in body:
        problems.append(f"body does not contain {expected_body!r}; body is {body!r}")

    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{path}: ok (subject {msg['subject']!r})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
