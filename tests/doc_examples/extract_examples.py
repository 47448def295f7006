#!/usr/bin/env python3
"""Writes each C++ example of the given files as a source file of its own, for doc_examples.

A Markdown file's examples are its ```cpp blocks; a header's are the ``` blocks of its ///
comments. An example with a main() is a whole program and is written as it stands; any other is a
fragment and becomes the body of a function (see fragment_wrapper.hpp).

usage: extract_examples.py OUTPUT_DIRECTORY SOURCE_ROOT FILE...
Prints the path of every file written, one a line. A file whose text is unchanged is left alone,
so that reconfiguring does not rebuild the examples.
"""
import pathlib
import re
import sys

MARKDOWN_BLOCK = re.compile(r"^```cpp\n(.*?)^```$", re.M | re.S)
COMMENT_BLOCK = re.compile(r"^ *///\s?```\n(.*?)^ *///\s?```$", re.M | re.S)
COMMENT_PREFIX = re.compile(r"^ */// ?", re.M)


def examples_of(path):
    """(the line the example starts on, its code) for each example of the file at path."""
    text = path.read_text()
    markdown = path.suffix == ".md"
    for match in (MARKDOWN_BLOCK if markdown else COMMENT_BLOCK).finditer(text):
        code = match.group(1) if markdown else COMMENT_PREFIX.sub("", match.group(1))
        yield text.count("\n", 0, match.start(1)) + 1, code


def source_of(origin, line, example):
    # A #line directive makes the compiler name the example's own file and line in its errors.
    line_directive = f'#line {line} "{origin}"\n'
    if re.search(r"\bint\s+main\s*\(", example):
        return line_directive + example
    return ('#include "fragment_wrapper.hpp"\n\nvoid tether_doc_example() {\n' +
            line_directive + example + "}\n")


def main():
    output, root, files = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]
    output.mkdir(parents=True, exist_ok=True)
    for name in files:
        path = pathlib.Path(name)
        relative = path.resolve().relative_to(root.resolve())
        for number, (line, example) in enumerate(examples_of(path), start=1):
            stem = re.sub(r"[^A-Za-z0-9]+", "_", str(relative))
            target = output / f"{stem}_{number}.cpp"
            source = source_of(relative, line, example)
            if not target.exists() or target.read_text() != source:
                target.write_text(source)
            print(target)


if __name__ == "__main__":
    main()
