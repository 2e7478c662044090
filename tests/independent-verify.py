#!/usr/bin/python3
"""A daicho ledger verifier written from docs/ledger-format.md alone (not from the C code),
to show that the document is enough.  Numbers in comments are the document's sections.

  independent-verify.py verify DIR [--root-key KEY] [--checkpoint FILE]
  independent-verify.py proof PROOF ENTRY KEY
  independent-verify.py report DIR --root-key KEY

Exit 0: intact (valid); 1: not intact (invalid); 2: could not check.
"""
import argparse, base64, hashlib, os, re, sqlite3, sys, urllib.parse   # noqa: E401

import nacl.exceptions, nacl.signing                                # noqa: E401

NUMBER = '(?:0|[1-9][0-9]*)'                                # 2.1: no leading zero

class Bad(Exception):
    """Not intact; index is the first bad entry, or None."""
    def __init__(self, msg, index=None):
        super().__init__(msg)
        self.index = index

class Error(Exception):
    """The check could not be made."""

def check(cond, msg, index=None):
    if not cond:
        raise Bad(msg, index)

def H(b):
    return hashlib.sha256(b).digest()

def unb64(s, n=None):
    """Canonical base64 (of n bytes if given), or ValueError."""
    raw = base64.b64decode(s, validate=True)
    if base64.b64encode(raw).decode() != s or n not in (None, len(raw)):
        raise ValueError('not canonical base64 of %s bytes' % n)
    return raw

def mth(leaves):
    """3: the RFC 6962 tree root over a list of leaf hashes."""
    if len(leaves) < 2:
        return leaves[0] if leaves else H(b'')
    k = 1 << (len(leaves) - 1).bit_length() - 1             # the largest power of 2 below n
    return H(b'\x01' + mth(leaves[:k]) + mth(leaves[k:]))

# --- keys and signed notes (4.1, 4.3) ---------------------------------------------------------

def key_id(name, pk):
    return H(name.encode() + b'\n\x01' + pk)[:4]

def name_ok(name):
    return name != '' and not any(c == '+' or c.isspace() or c < ' ' for c in name)

def parse_vkey(s):
    """NAME+KEYID+BASE64 -> (name, public key), or ValueError."""
    name, _, rest = s.partition('+')
    kid, _, key = rest.partition('+')
    if not name_ok(name) or not re.fullmatch('[0-9a-fA-F]{8}', kid):
        raise ValueError('malformed verifier key %r' % s)
    raw = unb64(key, 33)
    if raw[0] != 1 or key_id(name, raw[1:]) != bytes.fromhex(kid):
        raise ValueError('verifier key %r: wrong type or key ID' % s)
    return name, raw[1:]

def sig_ok(pk, sig, msg):
    try:
        nacl.signing.VerifyKey(pk).verify(msg, sig)
        return True
    except (nacl.exceptions.BadSignatureError, ValueError):
        return False

def note_verify(note, name, pk):
    """Raise ValueError unless the note is signed by (name, pk) as 4.1 says."""
    s = note.decode('utf-8')
    i = s.find('\n\n')
    text, rest = s[:i + 1], s[i + 2:]
    if len(note) > 1 << 20 or any(c < ' ' and c != '\n' for c in s) or \
            s.startswith('\n') or i < 0 or not rest.endswith('\n'):
        raise ValueError('malformed note')
    lines = rest[:-1].split('\n')
    kid, found = key_id(name, pk), False
    for line in lines[:101]:
        signer, space, b64 = line[2:].partition(' ')
        raw = unb64(b64) if space else b''
        if not line.startswith('\u2014 ') or not name_ok(signer) or len(raw) <= 4 or \
                len(lines) > 100:
            raise ValueError('malformed signature line %r' % line)
        if signer == name and raw[:4] == kid:
            if len(raw) != 68 or not sig_ok(pk, raw[4:], text.encode()):
                raise ValueError('a bad signature by %s' % name)
            found = True
    if not found:
        raise ValueError('no signature by %s+%s' % (name, kid.hex()))

def parse_checkpoint(note):
    """(origin, size, root) of a note's text (4.1), its signature unchecked."""
    lines = note[:note.find(b'\n\n') + 1].decode('utf-8').split('\n')[:-1]
    if len(lines) < 3 or not lines[0] or min(lines[0]) < ' ' or \
            not re.fullmatch(NUMBER, lines[1]) or int(lines[1]) >= 2**64:
        raise ValueError('malformed checkpoint text')
    return lines[0], int(lines[1]), unb64(lines[2], 32)

# --- entries (section 2) -----------------------------------------------------------------------

FIELDS = ('index', 'time', 'prev', 'epoch', 'action', 'operator', 'approver', 'subject')
ESCAPED = set(range(0x01, 0x20)) | {0x25, 0x7f}             # 2.2

def unescape(v):
    def one(m):
        if not re.fullmatch('[0-9A-F]{2}', m.group(1) or '') or \
                int(m.group(1), 16) not in ESCAPED:
            raise ValueError('bad escape %r' % m.group(0))
        return chr(int(m.group(1), 16))
    if re.search('[\x00-\x1f\x7f]', v):
        raise ValueError('raw control byte in a value')
    return re.sub('%(..)?', one, v, flags=re.S)

def parse_entry(b):
    """The fields of entry bytes b; ValueError unless as section 2 says."""
    if not b or len(b) > 65536 or not b.endswith(b'\n') or b'\0' in b:
        raise ValueError('empty, over 65536 bytes, NUL or no final LF')
    lines = b.decode('utf-8').split('\n')[:-1]
    if len(lines) < 9 or lines[0] != 'daicho-entry v1':
        raise ValueError('not a daicho-entry v1')
    e = {'args': {}, 'sig': None, 'signed': None}
    for name, line in zip(FIELDS, lines[1:9]):
        if not line.startswith(name + ' '):
            raise ValueError('malformed %s line' % name)
        e[name] = line[len(name) + 1:]
    if not (re.fullmatch(NUMBER, e['index']) and int(e['index']) < 2**63 and
            re.fullmatch(NUMBER, e['epoch']) and int(e['epoch']) < 2**63 and
            re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z', e['time']) and
            re.fullmatch('[0-9a-f]{64}', e['prev'])):
        raise ValueError('malformed index, time, prev or epoch line')
    for name in FIELDS[4:]:
        e[name] = unescape(e[name])
    args = lines[9:]
    if args and args[-1].startswith('sig '):                # 2.4
        e['sig'] = unb64(args[-1][4:], 64)
        e['signed'] = b[:len(b) - len(args.pop().encode()) - 1]
    for line in args:
        m = re.fullmatch(r'a\.([a-z][a-z0-9_]{0,31}) (.*)', line)
        if not m or m.group(1) in e['args'] or len(args) > 64:
            raise ValueError('bad, repeated or 65th argument line %r' % line)
        e['args'][m.group(1)] = unescape(m.group(2))
    return e

# --- verification (6.2) ------------------------------------------------------------------------

def key_for(chain, size):
    """4.4: the public key of the epoch of entry size-1."""
    return [pk for (_, first, pk) in chain if first <= size - 1][-1]

def rotation_ok(a, origin, epoch, index, root):
    try:
        return parse_vkey(a.get('key', ''))[0] == origin and a.get('epoch') == str(epoch) and \
            a.get('size') == str(index) and unb64(a.get('root', ''), 32) == root
    except ValueError:
        return False

def check_entries(rows, origin, anchor, chain):
    """Step 3, parsing every entry in full; returns the leaf hashes."""
    leaves = [b'\0' * 32]                                   # "prev" of entry 0, then leaves
    for i, (idx, data) in enumerate(rows):
        epoch, key = chain[-1][0], chain[-1][2]
        check(idx == i, 'entry %d is missing' % i, i)
        try:
            e = parse_entry(data)                           # 3.2, and the SHOULD of 6.2
        except ValueError as x:
            raise Bad('entry %d: malformed: %s' % (i, x), i)
        check(e['index'] == str(i), 'entry %d: holds the bytes of entry %s' % (i, e['index']), i)
        check(e['prev'] == leaves[-1].hex(), 'entry 0: prev is not zero' if i == 0 else 'entry %d '
              'altered or replaced (entry %d names other bytes)' % (i - 1, i), max(i - 1, 0))
        check(e['epoch'] == str(epoch), 'entry %d: not in epoch %d' % (i, epoch), i)
        check(i > 0 or e['action'] == 'ledger.init', 'entry 0: is not ledger.init', 0)
        if e['action'] in ('ledger.init', 'ledger.rotate'):
            check(e['sig'] and sig_ok(key, e['sig'], e['signed']), 'entry %d (%s): its signature'
                  ' does not verify with the key of epoch %d' % (i, e['action'], epoch), i)
        if e['action'] == 'ledger.init':
            check(i == 0 and e['args'].get('key') == anchor and e['args'].get('origin') == origin,
                  'entry %d: not the ledger.init of this root key and origin' % i, i)
        elif e['action'] == 'ledger.rotate':
            check(rotation_ok(e['args'], origin, epoch + 1, i, mth(leaves[1:])), 'entry %d: the '
                  'rotation does not name epoch %d, its key and tree head' % (i, epoch + 1), i)
            chain.append((epoch + 1, i + 1, parse_vkey(e['args']['key'])[1]))
        leaves.append(H(b'\x00' + data))
    return leaves[1:]

def locate(db, leaves, chain, origin):
    """Step 5.6: the size of the last stored checkpoint that still matches."""
    good = 0
    for size, note in db.execute('SELECT size, CAST(note AS BLOB) FROM checkpoint ORDER BY size'):
        if size <= 0 or size > len(leaves):
            break
        try:
            _, csize, croot = parse_checkpoint(note)
            if csize == size and croot == mth(leaves[:size]):
                good = size
            elif csize == size:
                note_verify(note, origin, key_for(chain, size))
                return good
        except ValueError:
            pass
    return None

def read_key_file(path, origin, live):
    """5.4: (epoch, public key) of a key file, or ValueError."""
    with open(path, 'rb') as f:
        text = f.read(1024)
    m = re.match(br'daicho-key v1\norigin ([^\n]*)\nepoch (%s)\nbegan %s\npublic ([^\n]*)\n'
                 br'(?:secret ([^\n]*)\n)?' % ((NUMBER.encode(),) * 2), text)
    if len(text) >= 1024 or not m or m.group(1) != origin.encode():
        raise ValueError('not a key file of this ledger')
    pk = unb64(m.group(3).decode(), 32)
    sk = unb64((m.group(4) or b'').decode(), 64) if live else None
    if live and (sk[32:] != pk or bytes(nacl.signing.SigningKey(sk[:32]).verify_key) != pk):
        raise ValueError('the secret key does not belong to the public key')
    return int(m.group(2)), pk

def verify(d, root_key=None, outside=None):
    path = os.path.join(d, 'daicho.db')
    if not os.path.isfile(path):
        raise Error('%s: no such database' % path)
    db = sqlite3.connect('file:%s?mode=ro' % urllib.parse.quote(path), uri=True,
                         isolation_level=None)
    db.execute('BEGIN')                                     # one snapshot for everything
    row = db.execute("SELECT CAST(value AS BLOB) FROM meta WHERE key = 'origin'").fetchone()
    if row is None:
        raise Error('no meta.origin: not a daicho ledger')
    origin = row[0].decode()

    # 1. The trust anchor.
    with open(os.path.join(d, 'root.pub'), encoding='utf-8') as f:
        anchor = f.read()
    if not re.fullmatch('[^\n]+\n', anchor):
        raise Error('root.pub is not one line')
    anchor = anchor[:-1]
    name, rootpk = parse_vkey(root_key or anchor)           # malformed: an error
    check(root_key in (None, anchor),
          'root.pub names root key %s, not the trusted root key %s' % (anchor, root_key))
    check(name == origin, 'the root key %s is for another ledger' % (root_key or anchor))
    chain = [(0, 0, rootpk)]                                # (epoch, first entry, key)

    # 2. The checkpoint held outside: its text only, for now.
    o_origin, o_size, o_root = parse_checkpoint(outside) if outside is not None \
        else (None, None, None)

    # 3, 4. The entries.
    leaves = check_entries(db.execute('SELECT idx, CAST(data AS BLOB) FROM ledger_entry '
                                      'ORDER BY idx'), origin, anchor, chain)
    n, epoch = len(leaves), chain[-1][0]
    check(n > 0, 'the ledger has no entries', 0)

    # 5. The latest checkpoint.
    row = db.execute('SELECT CAST(note AS BLOB) FROM checkpoint ORDER BY size DESC LIMIT 1')
    row = row.fetchone()
    check(row, 'no signed checkpoint', 0)
    try:
        c_origin, c_size, c_root = parse_checkpoint(row[0])
    except ValueError as x:
        raise Bad('the latest checkpoint is malformed: %s' % x)
    check(c_origin == origin, 'the latest checkpoint is of another ledger')
    check(c_size <= n, 'the ledger was truncated: the latest checkpoint covers %d entries, '
          'the ledger has %d' % (c_size, n), n)
    check(c_size == n, 'entries %d..%d are covered by no signed checkpoint' % (c_size, n - 1),
          c_size)
    try:
        note_verify(row[0], origin, key_for(chain, c_size))
    except ValueError as x:
        raise Bad('the latest checkpoint is not signed by the key of its epoch: %s' % x)
    check(mth(leaves) == c_root, 'the entries do not match the latest signed checkpoint',
          locate(db, leaves, chain, origin))

    # 6. The key file.
    live = os.path.exists(os.path.join(d, 'key'))
    kf = 'key' if live else 'key.pub'
    check(os.path.exists(os.path.join(d, kf)), 'the key file is missing')
    try:
        k_epoch, k_pk = read_key_file(os.path.join(d, kf), origin, live)
    except ValueError as x:
        raise Bad('the %s file: %s' % (kf, x))
    try:                                                    # a rotation being completed
        if live and k_epoch + 1 == epoch and \
                read_key_file(os.path.join(d, 'key.new'), origin, True) == (epoch, chain[-1][2]):
            k_epoch, k_pk = epoch, chain[-1][2]
    except (OSError, ValueError):
        pass
    check(k_epoch <= epoch, 'the ledger was truncated: the %s file is at epoch %d, but the '
          'ledger ends in epoch %d' % (kf, k_epoch, epoch), n)
    check(k_epoch == epoch, "the %s file is at epoch %d, behind the ledger's epoch %d"
          % (kf, k_epoch, epoch))
    check(k_pk == chain[-1][2],
          "the %s file does not hold epoch %d's key" % (kf, epoch))

    # 7. The checkpoint held outside.
    if outside is not None:
        if o_origin != origin:
            raise Error('the checkpoint is from another ledger')
        check(o_size <= n, 'the ledger was truncated: the checkpoint held outside covers %d '
              'entries, the ledger has %d' % (o_size, n), n)
        try:
            if o_size > 0:
                note_verify(outside, origin, key_for(chain, o_size))
        except ValueError as x:
            raise Bad('the checkpoint held outside is not signed for its size: %s' % x)
        check(o_size == 0 or mth(leaves[:o_size]) == o_root,
              'the ledger does not extend the checkpoint held outside')
    return n, epoch + 1, c_size

# --- inclusion proofs (section 7) --------------------------------------------------------------

def check_proof(proof, entry, vkey):
    head, blank, note = proof.partition(b'\n\n')
    lines = head.decode('utf-8').split('\n') + ['']
    k = 2 if lines[1].startswith('extra ') and unb64(lines[1][6:]) else 1
    m = re.fullmatch('index (%s)' % NUMBER, lines[k])
    if not blank or lines[0] != 'c2sp.org/tlog-proof@v1' or not m:
        raise ValueError('not a c2sp.org/tlog-proof@v1')
    index, path = int(m.group(1)), [unb64(p, 32) for p in lines[k + 1:-1]]
    name, pk = parse_vkey(vkey)
    origin, size, root = parse_checkpoint(note)
    if origin != name:
        raise ValueError("the checkpoint is not of the key's ledger")
    note_verify(note, name, pk)
    if index >= size or not entry.startswith(b'daicho-entry v1\nindex %d\n' % index):
        raise ValueError('not entry %d of a tree of %d' % (index, size))
    fn, sn, r = index, size - 1, H(b'\x00' + entry)
    for p in path:                                          # RFC 9162 2.1.3.2
        if sn == 0:
            raise ValueError('the audit path is too long')
        if fn & 1 or fn == sn:
            r = H(b'\x01' + p + r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = H(b'\x01' + r + p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or r != root:
        raise ValueError('the audit path does not lead to the signed root')
    return index, size

# --- sealed reports' packages (section 9) -----------------------------------------------------

def parse_proof(proof):
    """(index, path, note) of a tlog-proof (section 7), or ValueError."""
    head, blank, note = proof.partition(b'\n\n')
    lines = head.decode('utf-8').split('\n') + ['']
    k = 2 if len(lines) > 2 and lines[1].startswith('extra ') and unb64(lines[1][6:]) else 1
    m = re.fullmatch('index (%s)' % NUMBER, lines[k])
    if not blank or not note or lines[0] != 'c2sp.org/tlog-proof@v1' or not m:
        raise ValueError('not a c2sp.org/tlog-proof@v1')
    return int(m.group(1)), [unb64(p, 32) for p in lines[k + 1:-1]], note

def fold(index, size, leaf, path):
    """7 step 4: the root the audit path leads to, or None."""
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = H(b'\x01' + p + r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = H(b'\x01' + r + p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None

def read_package(d):
    """9.1 and 9.2 step 2: the files, and the chain as [(name, entry, proof)]."""
    files = {}
    for f in ('report.txt', 'report.csv', 'entry', 'proof'):
        try:
            with open(os.path.join(d, f), 'rb') as fh:
                files[f] = fh.read()
        except FileNotFoundError:
            raise Bad('%s: missing' % f)
    cdir = os.path.join(d, 'chain')
    if not os.path.isdir(cdir):
        raise Bad('chain/: missing')
    pairs = {}
    for f in os.listdir(cdir):
        m = re.fullmatch(r'([0-9]+)\.(entry|proof)', f)
        if not m:
            raise Bad('chain/%s: not a chain file' % f)
        pair = pairs.setdefault(int(m.group(1)), {})
        if m.group(2) in pair:
            raise Bad('chain/%s: a second file for entry %d' % (f, int(m.group(1))))
        pair[m.group(2)] = f
    chain = []
    for n in sorted(pairs):
        base = 'chain/' + pairs[n].get('entry', pairs[n].get('proof'))[:-6]
        for half in ('entry', 'proof'):
            if half not in pairs[n]:
                raise Bad('%s.%s: missing' % (base, half))
        with open(os.path.join(cdir, pairs[n]['entry']), 'rb') as fh:
            e = fh.read()
        with open(os.path.join(cdir, pairs[n]['proof']), 'rb') as fh:
            p = fh.read()
        chain.append((n, base, e, p))
    return files, chain

def check_chain(chain, root_key, origin, root_pk):
    """9.2 step 3: the keys [(first, pk)] by epoch."""
    keys, prev = [(0, root_pk)], None
    if not chain:
        raise Bad('chain: no entries')
    for i, (n, name, b, _) in enumerate(chain):
        try:
            e = parse_entry(b)
        except ValueError as x:
            raise Bad('%s.entry: %s' % (name, x))
        a = e['args']
        check(int(e['index']) == n, '%s.entry: holds entry %s' % (name, e['index']))
        if i == 0:
            check(e['action'] == 'ledger.init' and n == 0 and e['epoch'] == '0',
                  '%s.entry: the chain must begin with entry 0, ledger.init' % name)
            check(a.get('origin') == origin and a.get('key') == root_key,
                  '%s.entry: ledger.init names another ledger or root key' % name)
            check(e['sig'] is not None and sig_ok(root_pk, e['sig'], e['signed']),
                  '%s.entry: its signature does not verify with the root key' % name)
            prev = n
            continue
        check(e['action'] == 'ledger.rotate' and n > prev and e['epoch'] == str(i - 1) and
              a.get('epoch') == str(i) and a.get('size') == str(n),
              '%s.entry: want the ledger.rotate to epoch %d after entry %d' % (name, i, prev))
        check(e['sig'] is not None and sig_ok(keys[i - 1][1], e['sig'], e['signed']),
              "%s.entry: its signature does not verify with epoch %d's key" % (name, i - 1))
        try:
            kname, pk = parse_vkey(a.get('key', ''))
        except ValueError as x:
            raise Bad('%s.entry: %s' % (name, x))
        check(kname == origin, '%s.entry: the key it names is not a key of this ledger' % name)
        keys.append((n + 1, pk))
        prev = n
    return keys

def check_report(d, root_key):
    """9.2: (index, action, size, epochs) of a valid package; Bad otherwise."""
    try:
        origin, root_pk = parse_vkey(root_key)
    except ValueError as x:
        raise Error('--root-key: %s' % x)
    files, chain = read_package(d)
    keys = check_chain(chain, root_key, origin, root_pk)
    try:                                                    # step 4
        index, path, note = parse_proof(files['proof'])
        note_verify(note, origin, keys[-1][1])
        c_origin, size, root = parse_checkpoint(note)
    except ValueError as x:
        raise Bad("proof: its checkpoint is not signed by the chain's last key: %s" % x)
    check(c_origin == origin, 'proof: the checkpoint is another ledger\'s')
    try:                                                    # step 5
        e = parse_entry(files['entry'])
    except ValueError as x:
        raise Bad('entry: %s' % x)
    check(e['action'] in ('stocktake.close', 'report.inspection'),
          'entry: %s is not a sealing entry' % e['action'])
    n = int(e['index'])
    check(index == n, 'proof: it proves entry %d; the entry file holds entry %d' % (index, n))
    check(n < size and fold(n, size, H(b'\x00' + files['entry']), path) == root,
          'proof: its audit path from the bytes of entry does not lead to the root '
          '(entry or proof was changed)')
    epoch = max(k for k, (first, _) in enumerate(keys) if first <= n)
    check(e['epoch'] == str(epoch), 'entry: its epoch line says %s, the chain %d'
          % (e['epoch'], epoch))
    check(e['sig'] is None or sig_ok(keys[epoch][1], e['sig'], e['signed']),
          'entry: its signature does not verify')
    for f, arg in (('report.txt', 'report_txt'), ('report.csv', 'report_csv')):   # step 6
        got = hashlib.sha256(files[f]).hexdigest()
        check(e['args'].get(arg) == got, '%s: its SHA-256 is %s; the entry records %s'
              % (f, got, e['args'].get(arg)))
    for (i, name, b, p) in chain:                           # step 7
        try:
            pi, ppath, pnote = parse_proof(p)
        except ValueError as x:
            raise Bad('%s.proof: %s' % (name, x))
        check(pnote == note, '%s.proof: not against the checkpoint of proof' % name)
        check(pi == i, '%s.proof: proves entry %d' % (name, pi))
        check(fold(i, size, H(b'\x00' + b), ppath) == root,
              '%s: entry %d is not included in the checkpoint' % (name, i))
    return n, e['action'], size, len(keys)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    v = sub.add_parser('verify')
    v.add_argument('dir')
    v.add_argument('--root-key')
    v.add_argument('--checkpoint', type=argparse.FileType('rb'))
    p = sub.add_parser('proof')
    p.add_argument('proof', type=argparse.FileType('rb'))
    p.add_argument('entry', type=argparse.FileType('rb'))
    p.add_argument('key')
    r = sub.add_parser('report')
    r.add_argument('dir')
    r.add_argument('--root-key', required=True)
    a = ap.parse_args()
    try:
        if a.cmd == 'report':
            try:
                print('report %s: valid\n  sealed by entry %d (%s), checkpoint of size %d, '
                      '%d keys' % ((a.dir,) + check_report(a.dir, a.root_key)))
                return 0
            except (Bad, ValueError, UnicodeDecodeError) as x:
                print('report %s: NOT VALID\n  problem: %s' % (a.dir, x))
                return 1
        if a.cmd == 'proof':
            print('proof: entry %d is in the signed tree of size %d'
                  % check_proof(a.proof.read(), a.entry.read(), a.key))
            return 0
        print('ledger %s: intact\n  entries %d, epochs %d, latest checkpoint at size %d'
              % ((a.dir,) + verify(a.dir, a.root_key, a.checkpoint and a.checkpoint.read())))
        return 0
    except Bad as x:
        print('ledger %s: NOT INTACT' % a.dir)
        if x.index is not None:
            print('  first bad entry: %d' % x.index)
        print('  problem: %s' % x)
        return 1
    except ValueError as x:
        if a.cmd == 'proof':
            print('proof: INVALID: %s' % x)
            return 1
        print('independent-verify: %s' % x, file=sys.stderr)
        return 2
    except (Error, OSError, sqlite3.Error) as x:
        print('independent-verify: %s' % x, file=sys.stderr)
        return 2

if __name__ == '__main__':
    sys.exit(main())
