#!/usr/bin/env python3
"""Checks that a message built by pm parses back with Python's standard email package.

Usage: check_eml.py FILE.eml EXPECTED_SUBJECT EXPECTED_BODY_SUBSTRING [--html]
       [--same-text-as TEXT_ONLY.eml] [--html-out FILE.html] [--html-contains TEXT]...

Parses FILE.eml with email.policy.default (the strict, RFC-aware parser), then checks the
decoded Subject, prints the decoded display names of From/To/Cc/Bcc, checks that the body
decodes and contains the substring, and reports parser defects. Exits 1 on any mismatch,
2 on wrong usage.

With --html the message must be multipart/alternative of exactly two parts, text/plain then
text/html (both charset utf-8), whose boundary occurs nowhere else; the substring is looked
for in the text part, --html-contains texts in the HTML part, and --html-out writes the
decoded HTML to a file (for tidy). --same-text-as compares the text part with the body of a
text-only message: the same Content-Transfer-Encoding, the same encoded bytes, the same text.
Every line must keep RFC 5322's 998 characters, and every body line 78.

Display names are printed, not compared: until CPython gh-128110 (fixed upstream), the
default policy keeps the folding between two encoded-words of a display name as a space,
against RFC 2047 6.2, so a long name may show one space too many here.
"""
import argparse
import email.parser
import email.policy
import sys


def parse(path):
    with open(path, "rb") as file:
        return email.parser.BytesParser(policy=email.policy.default).parse(file)


def check_lines(path, problems):
    with open(path, "rb") as file:
        raw = file.read()
    in_body = False
    for number, line in enumerate(raw.split(b"\n"), 1):
        limit = 78 if in_body else 998
        if len(line) > limit:
            problems.append(f"line {number} has {len(line)} characters, more than {limit}")
        in_body = in_body or line == b""


def check_multipart(msg, args, problems):
    """The two parts of an HTML letter; returns the text part (or None)."""
    if msg.get_content_type() != "multipart/alternative":
        problems.append(f"content type is {msg.get_content_type()!r}, expected "
                        "multipart/alternative")
        return None
    parts = list(msg.iter_parts())
    types = [part.get_content_type() for part in parts]
    if types != ["text/plain", "text/html"]:
        problems.append(f"parts are {types!r}, expected ['text/plain', 'text/html']")
        return None
    for part in parts:
        if part.get_content_charset() != "utf-8":
            problems.append(f"{part.get_content_type()} charset is {part.get_content_charset()!r}")
    boundary = msg.get_boundary()
    for part in parts:
        if boundary in part.get_payload():
            problems.append(f"the boundary {boundary!r} occurs inside a part")
    text, html = parts
    html_text = html.get_content()
    if args.html_out:
        with open(args.html_out, "w", encoding="utf-8") as out:
            out.write(html_text)
    for needle in args.html_contains:
        if needle not in html_text:
            problems.append(f"the HTML part does not contain {needle!r}")
    if args.same_text_as:
        plain = parse(args.same_text_as)
        if plain.get_content_type() != "text/plain":
            problems.append(f"{args.same_text_as} is not a text-only message")
        else:
            for name in ("Content-Type", "Content-Transfer-Encoding"):
                if str(plain[name]) != str(text[name]):
                    problems.append(f"the text part's {name} is {text[name]!r}, the text-only "
                                    f"message's {plain[name]!r}")
            if plain.get_payload() != text.get_payload():
                problems.append("the text part's encoded bytes differ from the text-only body's")
            if plain.get_content() != text.get_content():
                problems.append("the text part's text differs from the text-only body's")
    return text


def main(argv):
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("path")
    parser.add_argument("subject")
    parser.add_argument("body")
    parser.add_argument("--html", action="store_true")
    parser.add_argument("--same-text-as")
    parser.add_argument("--html-out")
    parser.add_argument("--html-contains", action="append", default=[])
    try:
        args = parser.parse_args(argv[1:])
    except SystemExit:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path, expected_subject, expected_body = args.path, args.subject, args.body
    msg = parse(path)

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

    check_lines(path, problems)
    body_part = msg
    if args.html:
        body_part = check_multipart(msg, args, problems)
    elif msg.get_content_type() != "text/plain":
        problems.append(f"content type is {msg.get_content_type()!r}, expected text/plain")
    body = body_part.get_content() if body_part is not None else ""
    if expected_body not in body:
        problems.append(f"body does not contain {expected_body!r}; body is {body!r}")

    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{path}: ok (subject {msg['subject']!r})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
