#!/usr/bin/env python3
"""Replaces the hostile-bundle table of Docs/reliability.md (between its markers) with the one the last
`make test-reliability` wrote.

    update_reliability.py DOC TABLE
"""
import sys

doc, table = sys.argv[1], sys.argv[2]
text = open(doc, encoding='utf-8').read()
start, end = '<!-- hostile-table:start -->', '<!-- hostile-table:end -->'
before, rest = text.split(start, 1)
_, after = rest.split(end, 1)
open(doc, 'w', encoding='utf-8').write(before + start + '\n' + open(table, encoding='utf-8').read() + end + after)
print(f'{doc}: hostile-bundle table rewritten from {table}')
