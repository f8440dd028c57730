#!/usr/bin/env python3
"""Cut the Liaoning coast and the Bohai / Yellow Sea out of Natural Earth for the report's map.

Reads `countries-10m.json` (Natural Earth 1:10m admin-0 countries as TopoJSON, from the npm
package `world-atlas`) straight from the package tarball, and writes `assets/map/coast.txt`:

    # comment lines
    L lon,lat lon,lat ...    one land ring per line (closed: the last point joins the first)
    B lon,lat lon,lat ...    one stretch of international border per line (open)

Steps, each deterministic (the same tarball gives the same bytes):
  1. decode TopoJSON: quantised, delta-encoded arcs -> degrees; rings joined from arcs;
  2. land: the `land` object (the countries merged, so it meets the borders exactly), every
     ring clipped to the rectangle (Sutherland-Hodgman), then simplified (Douglas-Peucker on
     equirectangular coordinates with a cos(mid-latitude) aspect, so the tolerance is the same
     distance north-south and east-west); rings smaller than MIN_AREA_KM2 are dropped;
  3. borders: arcs that two different countries share (China / North Korea here), cut to the
     rectangle and simplified the same way;
  4. coordinates rounded to 3 decimals (about 100 m), repeated points removed.

Usage (from the repository root):

    cd /tmp && npm pack world-atlas@2.0.2        # -> world-atlas-2.0.2.tgz
    python3 tools/coast/prepare.py /tmp/world-atlas-2.0.2.tgz > assets/map/coast.txt

Python 3.8+ standard library only.
"""

import hashlib
import json
import math
import sys
import tarfile

# The rectangle (degrees): the Bohai, Liaodong Bay, the Liaodong peninsula, the Shandong tip and
# the Korea Bay coast to the Yalu and beyond.
LON0, LON1 = 117.5, 126.5
LAT0, LAT1 = 37.0, 43.0
# Douglas-Peucker tolerance in degrees of latitude (0.006 deg = 0.7 km): the file stays small
# (about 16 KB) while the bays, spits and islands keep their shape at a map 700-900 px wide.
TOLERANCE = 0.006
# Islands smaller than this are dropped (km2); the Changshan islands (~10-30 km2 each) stay.
MIN_AREA_KM2 = 4.0
# The package version this was made from, and its npm tarball's SHA-1 (a different tarball is
# used with a warning: the asset's README names the version it was made from).
VERSION = "2.0.2"
SHA1 = "4bca4a578f3a413bd409c3f07f2054fe7375824f"

KX = math.cos(math.radians((LAT0 + LAT1) / 2))  # east-west km per degree, relative to north-south


def load(tgz):
    """The TopoJSON of countries-10m.json inside the tarball, and the tarball's SHA-1."""
    with open(tgz, "rb") as f:
        digest = hashlib.sha1(f.read()).hexdigest()
    with tarfile.open(tgz, "r:gz") as tar:
        data = tar.extractfile("package/countries-10m.json").read()
    return json.loads(data), digest


def decode_arcs(topo):
    """Every arc as a list of (lon, lat): undo the delta encoding, then the quantisation."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_from(arcs, indices):
    """A ring joined from arc indices (a negative index ~i is arc i reversed)."""
    out = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        # Consecutive arcs share their joining point.
        out.extend(pts if not out else pts[1:])
    return out


def polygons(geom):
    """A Polygon's or MultiPolygon's polygons, each a list of rings of arc indices."""
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    return []


def clip_ring(ring):
    """Sutherland-Hodgman: the ring clipped to the rectangle (may come back empty)."""
    edges = [
        (lambda p: p[0] >= LON0, lambda a, b: cut_x(a, b, LON0)),
        (lambda p: p[0] <= LON1, lambda a, b: cut_x(a, b, LON1)),
        (lambda p: p[1] >= LAT0, lambda a, b: cut_y(a, b, LAT0)),
        (lambda p: p[1] <= LAT1, lambda a, b: cut_y(a, b, LAT1)),
    ]
    pts = ring
    for inside, cut in edges:
        if not pts:
            break
        out = []
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
        pts = out
    return pts


def cut_x(a, b, x):
    """Where segment a-b crosses the meridian x."""
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def cut_y(a, b, y):
    """Where segment a-b crosses the parallel y."""
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def inside(p):
    """Whether a point is in the rectangle (edges included)."""
    return LON0 <= p[0] <= LON1 and LAT0 <= p[1] <= LAT1


def clip_line(line):
    """An open line cut to the rectangle: the pieces inside, each ending on the edge."""
    pieces, cur = [], []
    for a, b in zip(line, line[1:]):
        ia, ib = inside(a), inside(b)
        if ia and not cur:
            cur.append(a)
        if ia and ib:
            cur.append(b)
        elif ia != ib:
            # Dense arcs (~300 m apart): the crossing is found by halving the segment.
            lo, hi = (a, b) if ia else (b, a)
            for _ in range(40):
                mid = ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2)
                lo, hi = (mid, hi) if inside(mid) else (lo, mid)
            if ia:
                cur.append(lo)
                pieces.append(cur)
                cur = []
            else:
                cur = [lo, b]
    if len(cur) > 1:
        pieces.append(cur)
    return pieces


def perp(p, a, b):
    """Distance (degrees of latitude) from p to segment a-b, east-west scaled by KX."""
    px, py = p[0] * KX, p[1]
    ax, ay = a[0] * KX, a[1]
    bx, by = b[0] * KX, b[1]
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(pts, tol):
    """The points of an open line that Douglas-Peucker keeps (iterative, ends kept)."""
    if len(pts) < 3:
        return list(pts)
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        best, at = -1.0, -1
        for k in range(i + 1, j):
            d = perp(pts[k], pts[i], pts[j])
            if d > best:
                best, at = d, k
        if best > tol:
            keep[at] = True
            stack.extend([(i, at), (at, j)])
    return [p for p, k in zip(pts, keep) if k]


def simplify_ring(ring, tol):
    """A closed ring simplified: split at its first point and the point farthest from it."""
    if ring and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return ring
    x0, y0 = ring[0]
    far = max(range(len(ring)), key=lambda k: math.hypot((ring[k][0] - x0) * KX, ring[k][1] - y0))
    a = douglas_peucker(ring[: far + 1], tol)
    b = douglas_peucker(ring[far:] + [ring[0]], tol)
    return a[:-1] + b[:-1]


def length(line):
    """A line's length in degrees of latitude (east-west scaled by KX)."""
    return sum(math.hypot((b[0] - a[0]) * KX, b[1] - a[1]) for a, b in zip(line, line[1:]))


def area_km2(ring):
    """A ring's area (shoelace on the scaled plane; 1 degree of latitude = 111.2 km)."""
    s = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        s += x0 * KX * y1 - x1 * KX * y0
    return abs(s) / 2 * 111.2**2


def rounded(pts):
    """Points rounded to 3 decimals, consecutive repeats removed, as `lon,lat` text."""
    out = []
    for lon, lat in pts:
        p = f"{lon:.3f},{lat:.3f}"
        if not out or out[-1] != p:
            out.append(p)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    topo, digest = load(sys.argv[1])
    if digest != SHA1:
        print(f"warning: tarball SHA-1 {digest}, not world-atlas {VERSION}'s {SHA1}",
              file=sys.stderr)
    arcs = decode_arcs(topo)
    lines = [
        f"# Natural Earth 1:10m (public domain) via world-atlas {VERSION} countries-10m.json (ISC)",
        f"# cut to lon {LON0}..{LON1} E, lat {LAT0}..{LAT1} N; Douglas-Peucker {TOLERANCE} deg;"
        f" islands under {MIN_AREA_KM2} km2 dropped; made by tools/coast/prepare.py",
        "# L: a land ring (closed), B: an international border (open); points are lon,lat",
    ]
    n_land = n_pts = 0
    for geom in topo["objects"]["land"]["geometries"]:
        for poly in polygons(geom):
            for k, ring_arcs in enumerate(poly):
                ring = ring_from(arcs, ring_arcs)
                xs = [p[0] for p in ring]
                ys = [p[1] for p in ring]
                if max(xs) < LON0 or min(xs) > LON1 or max(ys) < LAT0 or min(ys) > LAT1:
                    continue
                if k > 0:
                    # The map fills each ring as land: a hole (a lake) would need its own kind.
                    sys.exit("a land polygon has a hole in the rectangle: not supported")
                ring = simplify_ring(clip_ring(ring), TOLERANCE)
                if len(ring) < 3 or area_km2(ring) < MIN_AREA_KM2:
                    continue
                pts = rounded(ring)
                if len(pts) >= 3:
                    lines.append("L " + " ".join(pts))
                    n_land += 1
                    n_pts += len(pts)
    # Borders: arcs used by two different countries.
    users = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        for poly in polygons(geom):
            for ring_arcs in poly:
                for i in ring_arcs:
                    users.setdefault(i if i >= 0 else ~i, set()).add(geom.get("id"))
    for i in sorted(k for k, v in users.items() if len(v) > 1):
        for piece in clip_line(arcs[i]):
            pts = rounded(douglas_peucker(piece, TOLERANCE))
            # A sliver where a border grazes the frame is not worth a line.
            if len(pts) >= 2 and length(piece) > 5 * TOLERANCE:
                lines.append("B " + " ".join(pts))
                n_pts += len(pts)
    sys.stdout.write("\n".join(lines) + "\n")
    print(f"{n_land} land rings, {n_pts} points", file=sys.stderr)


if __name__ == "__main__":
    main()
