"""Rebuilds pride_and_prejudice.txt.gz from the R package janeaustenr 1.0.0
as Debian ships it (r-cran-janeaustenr 1.0.0-1): the novel is the character
vector `prideprejudice` of the package's lazy-load database, one element a
line. Standard library only (no R needed):

    apt-get download r-cran-janeaustenr && dpkg -x r-cran-janeaustenr_*.deb pkg
    python3 data/convert_austen.py pkg/usr/lib/R/site-library/janeaustenr/data data/pride_and_prejudice.txt.gz

The lines are joined with newlines, runs of three or more newlines become
two (a blank line), and the text ends with one newline. Nothing else changes.
"""
import gzip
import re
import struct
import sys
import zlib


class Unserialize:
    """Just enough of R's XDR serialization (R Internals, section 1.8) for a
    character vector and the database's index: vectors, pairlists, symbols,
    references; attributes are read past."""

    def __init__(self, data):
        self.b, self.i, self.refs = data, 0, []

    def int(self):
        v = struct.unpack('>i', self.b[self.i:self.i + 4])[0]
        self.i += 4
        return v

    def take(self, n):
        v = self.b[self.i:self.i + n]
        self.i += n
        return v

    def read(self):
        assert self.take(2) == b'X\n', 'not an XDR serialization'
        version = self.int()
        self.int(), self.int()
        if version == 3:
            self.take(self.int())  # native encoding
        return self.item()

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind in (254, 242):  # NILVALUE_SXP, EMPTYENV_SXP
            return None
        if kind == 255:  # REFSXP
            return self.refs[(flags >> 8) - 1]
        if kind == 1:  # SYMSXP
            sym = ('symbol', self.item())
            self.refs.append(sym)
            return sym
        if kind == 9:  # CHARSXP
            n = self.int()
            return None if n == -1 else self.take(n).decode('utf-8')
        if kind in (2, 6):  # LISTSXP, LANGSXP
            if has_attr:
                self.item()
            tag = self.item() if has_tag else None
            car, cdr = self.item(), self.item()
            return [(tag, car)] + (cdr if isinstance(cdr, list) else [])
        if kind in (16, 19, 20):  # STRSXP, VECSXP, EXPRSXP
            value = [self.item() for _ in range(self.int())]
        elif kind in (10, 13):  # LGLSXP, INTSXP
            n = self.int()
            value = list(struct.unpack('>%di' % n, self.take(4 * n)))
        elif kind == 14:  # REALSXP
            n = self.int()
            value = list(struct.unpack('>%dd' % n, self.take(8 * n)))
        else:
            raise ValueError('R type %d not handled' % kind)
        if has_attr:
            self.item()
        return value


def objects(folder):
    """Every object of the database Rdata.rdx/Rdata.rdb in `folder`, in order (each zlib-compressed after a 4-byte length)."""
    index = Unserialize(gzip.decompress(open(folder + '/Rdata.rdx', 'rb').read())).read()
    rdb = open(folder + '/Rdata.rdb', 'rb').read()
    for offset, length in index[0]:
        yield Unserialize(zlib.decompress(rdb[offset + 4:offset + length])).read()


def main(folder, out):
    novel = next(v for v in objects(folder) if v and v[0] == 'PRIDE AND PREJUDICE')
    text = re.sub(r'\n{3,}', '\n\n', '\n'.join(novel)).strip('\n') + '\n'
    with gzip.GzipFile(out, 'wb', compresslevel=9, mtime=0) as f:
        f.write(text.encode('utf-8'))
    print('%s: %d characters, %d distinct' % (out, len(text), len(set(text))), file=sys.stderr)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
