import Foundation
import TestSupport

/// Runs a Python 3 standard-library script as an independent decoder: our encoder's output
/// is checked by `zlib` and a PNG reader we did not write in Swift.
enum PythonCheck {
    /// Runs `script` with `arguments`; returns its exit status and its output, standard error
    /// after standard output.
    static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments)
        return (result.status, result.standardOutput + result.standardError)
    }

    /// Arguments: pairs of files (original, zlib stream); exits non-zero unless every stream
    /// inflates to its original.
    static let inflate = """
    import sys, zlib
    args = sys.argv[1:]
    for raw, packed in zip(args[0::2], args[1::2]):
        want = open(raw, 'rb').read()
        got = zlib.decompress(open(packed, 'rb').read())
        if got != want:
            sys.exit(f'{packed}: {len(got)} bytes inflated, {len(want)} expected')
    print('inflated', len(args) // 2)
    """

    /// Arguments: a PNG file, a file of the expected pixels, width, height, channels.
    /// Parses chunks, checks each CRC with zlib.crc32, reads IHDR, inflates IDAT, undoes the
    /// five filters and compares the pixels.
    static let png = """
    import sys, zlib, struct
    path, pixels_path, width, height, channels = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
    data = open(path, 'rb').read()
    assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'signature'
    pos, chunks = 8, []
    while pos < len(data):
        n, = struct.unpack('>I', data[pos:pos+4]); kind = data[pos+4:pos+8]; body = data[pos+8:pos+8+n]
        crc, = struct.unpack('>I', data[pos+8+n:pos+12+n])
        assert crc == zlib.crc32(kind + body), f'crc of {kind}'
        chunks.append((kind, body)); pos += 12 + n
    assert pos == len(data), 'trailing bytes'
    assert [k for k, _ in chunks][0] == b'IHDR' and chunks[-1] == (b'IEND', b''), 'chunk order'
    w, h, depth, color, comp, filt, inter = struct.unpack('>IIBBBBB', chunks[0][1])
    assert (w, h, depth, comp, filt, inter) == (width, height, 8, 0, 0, 0), 'IHDR'
    assert color == (2 if channels == 3 else 0), 'color type'
    raw = zlib.decompress(b''.join(b for k, b in chunks if k == b'IDAT'))
    stride = w * channels
    assert len(raw) == h * (stride + 1), 'scanline bytes'
    out, prev = bytearray(), bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]; line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0; b = prev[x]; c = prev[x - channels] if x >= channels else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            else: assert f == 0, f'filter {f}'
        out += line; prev = line
    assert bytes(out) == open(pixels_path, 'rb').read(), 'pixels differ'
    print('png ok', w, h, len(data))
    """
}
