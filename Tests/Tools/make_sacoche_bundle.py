#!/usr/bin/env python3
"""Writes a large SACoche bundle from the `three-schools` fixture: its three bases and CSV, with the
`sacoche_saisie` table of the base on CSV line LINE (default: the last) grown to ROWS generated grades,
cut into files of 5000 rows as SACoche cuts them. For tests and measurements that need a base that takes
time to restore.

    make_sacoche_bundle.py OUT_PREFIX ROWS [LINE]      -> OUT_PREFIX.csv and OUT_PREFIX.zip
"""
import io
import os
import random
import sys
import zipfile

FIXTURE = os.path.join(os.path.dirname(__file__), '..', 'Fixtures', 'sacoche', 'three-schools',
                       'bases_dump_2017-10-02_14-05-37_1942955373')


def grown(inner_bytes, rows):
    inner = zipfile.ZipFile(io.BytesIO(inner_bytes))
    files = {n: inner.read(n) for n in inner.namelist()}
    saisie = files.pop('dump_sacoche_saisie_0000.sql').decode('utf-8')
    head = saisie[:saisie.index('INSERT INTO')]
    random.seed(rows)
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            z.writestr(name, files[name])
        chunk, done = 0, 0
        while done < rows:
            values = []
            for k in range(done, min(rows, done + 5000)):
                note = random.choice(['1', '2', '3', '4', '"AB"', '"NN"'])
                values.append('(%d,%d,%d,%d,"2017-09-%02d",%s,"Évaluation \\"bilan\\" n°%d ; (Mme PETIT)","2017-09-23")'
                              % (1 + k % 7, 100 + k % 997, k // 40, k % 40, 1 + k % 28, note, k % 50))
            done += 5000
            text = (head if chunk == 0 else '') + 'INSERT INTO sacoche_saisie VALUES \r\n' + ',\r\n'.join(values) + ';\r\n'
            if done >= rows:
                text += 'ALTER TABLE sacoche_saisie ENABLE KEYS;\r\n'
            z.writestr('dump_sacoche_saisie_%04d.sql' % chunk, text.encode('utf-8'))
            chunk += 1
    return out.getvalue()


def main(prefix, rows, line=None):
    lines = open(FIXTURE + '.csv', 'rb').read().decode('utf-8').split('\r\n')
    target = lines[int(line) - 1 if line else len(lines) - 2].split(';')[10]
    with zipfile.ZipFile(FIXTURE + '.zip') as source, zipfile.ZipFile(prefix + '.zip', 'w', zipfile.ZIP_DEFLATED) as z:
        for name in source.namelist():
            data = source.read(name)
            z.writestr(name, grown(data, rows) if name == target else data)
    with open(prefix + '.csv', 'wb') as f:
        f.write('\r\n'.join(lines).encode('utf-8'))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), *(sys.argv[3:4]))
