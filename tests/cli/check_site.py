#!/usr/bin/env python3
"""Checks a site pm publish wrote (or single HTML pages): every page parses with balanced
elements, has <html lang>, a <title>, one <h1>, tables with header cells; no scripts, no
external requests (only relative links and mailto:), and every relative link and anchor
resolves to a file of the site. Prints each problem and exits 1 when there is one.

usage: check_site.py DIR_OR_FILE... [--text FILE]  (--text: the visible text of FILE, to stdout)
"""
import html.parser
import os
import sys
import urllib.parse

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# SVG drawing elements may close themselves (<rect/>).
SELF_CLOSING_OK = {"rect", "line", "circle", "path", "polyline", "polygon", "stop", "ellipse"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.problems = []
        self.links = []
        self.lang = None
        self.title = 0
        self.h1 = 0
        self.tables = 0
        self.th = 0
        self.text = []
        self.hidden_depth = 0
        self.svg = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "svg":
            self.svg += 1
        if tag == "title" and self.svg == 0:  # an SVG's <title> names its chart
            self.title += 1
        if tag == "h1":
            self.h1 += 1
        if tag == "table":
            self.tables += 1
        if tag == "th":
            self.th += 1
        if tag in ("script", "iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}> is not allowed")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>: event handlers are not allowed")
            if name in ("href", "src", "xlink:href", "action") and value is not None:
                self.links.append((tag, value))
        if tag in ("style", "title", "head"):
            self.hidden_depth += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID and tag not in SELF_CLOSING_OK:
            self.problems.append(f"<{tag}/>: only void and SVG elements close themselves")
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"</{tag}>: a void element has no end tag")
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag in ("style", "title", "head"):
            self.hidden_depth -= 1
        if tag == "svg":
            self.svg -= 1

    def handle_data(self, data):
        if self.hidden_depth == 0:
            self.text.append(data)


def check_page(path, site_root, problems):
    with open(path, encoding="utf-8") as f:
        content = f.read()
    if not content.startswith("<!DOCTYPE html>"):
        problems.append(f"{path}: no <!DOCTYPE html>")
    p = Page()
    p.feed(content)
    p.close()
    for problem in p.problems:
        problems.append(f"{path}: {problem}")
    if p.stack:
        problems.append(f"{path}: unclosed {p.stack}")
    if not p.lang:
        problems.append(f"{path}: <html> has no lang")
    if p.title != 1:
        problems.append(f"{path}: {p.title} <title> elements")
    if p.h1 != 1:
        problems.append(f"{path}: {p.h1} <h1> elements (one expected)")
    if p.tables and p.th == 0:
        problems.append(f"{path}: a table without header cells")
    for tag, link in p.links:
        url = urllib.parse.urlsplit(link)
        if url.scheme == "mailto":
            continue
        if url.scheme or url.netloc or link.startswith("//"):
            problems.append(f"{path}: <{tag}> requests {link}: nothing external")
            continue
        if not url.path:
            continue  # an anchor in the same page
        target = os.path.normpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(url.path)))
        if site_root and not target.startswith(os.path.abspath(site_root)):
            problems.append(f"{path}: {link} leaves the site")
        elif not os.path.isfile(target):
            problems.append(f"{path}: broken link {link}")
    return p


def main(argv):
    if len(argv) == 3 and argv[1] == "--text":
        p = Page()
        with open(argv[2], encoding="utf-8") as f:
            p.feed(f.read())
        print(" ".join(" ".join(p.text).split()))
        return 0
    problems = []
    pages = 0
    for arg in argv[1:]:
        if os.path.isdir(arg):
            root = os.path.abspath(arg)
            for d, _, files in os.walk(root):
                for name in sorted(files):
                    if name.endswith(".html"):
                        check_page(os.path.join(d, name), root, problems)
                        pages += 1
        else:
            check_page(os.path.abspath(arg), None, problems)
            pages += 1
    for problem in problems:
        print(problem)
    print(f"check_site: {pages} page(s), {len(problems)} problem(s)")
    return 1 if problems or pages == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
