"""Near-duplicate search for short Chinese texts — pure: no Django, nothing of any domain app.

A document is a key, a text and optional *anchors*: named attributes the caller knows about it (the places
it names, its topics, the facility it is about …). The engine

1. **shingles** the text: NFKC, the caller's synonyms, its stop phrases removed, then the jieba words of two
   characters or more and the character bigrams — plus every anchor repeated ``weights[kind]`` times, so
   that agreeing on a place or a topic counts more than sharing a word (a weighted Jaccard by replication);
2. **signs** it: a MinHash of the shingles (datasketch, ``num_perm`` permutations, seed 1), the hashes of
   its anchor combinations (``key_pairs``, e.g. place × topic), and the hashed shingles and anchors
   themselves — bytes (:meth:`Signature.to_bytes`) a caller stores with its records;
3. **finds candidates** through an equal index — the MinHash's LSH bands and the anchor keys in one sorted
   array, looked up by binary search, never by comparing every pair; a bucket shared by more than
   ``bucket_cap`` documents gives only its newest ``bucket_cap``;
4. **ranks** the candidates by the score the MinHashes estimate and **verifies** the best ``verify`` of each
   document exactly on the stored shingles: the Jaccard (or ``containment`` × the share of the smaller
   document found in the other, when higher: a short follow-up of a long letter), lowered by ``conflicts``
   when both name, say, a town and not the same one. A pair at or above ``threshold`` is a match, with the
   anchors both agree on (the signals) and the passages both texts share (for highlighting).

The index of stored documents is built from their stored bytes without reading a text; texts are read
only for the matches' passages. :func:`brute_force` is the all-pairs comparison the index avoids (for
benchmarks and tests). Anchors any caller can use (facility names, street addresses):
:mod:`ecoinspect.common.textsim_anchors`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .textsim_anchors import passages

#: Bumped when shingling or signing changes: a stored signature of another version is signed again.
VERSION = 2
#: magic, engine version, caller's scheme, num_perm, anchor keys, shingles, packed anchors' bytes
_HEADER = struct.Struct("<2sBBBHHH")
_MAGIC = b"TS"
_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Settings:
    """How documents are shingled, signed and compared. ``scheme`` is the caller's own version number (its
    stop phrases, synonyms and anchors): a stored signature of another scheme is signed again."""

    num_perm: int = 64
    bands: int = 16
    weights: Mapping[str, int] = field(default_factory=dict)
    key_pairs: tuple[tuple[str, ...], ...] = ()
    stop_phrases: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    threshold: float = 0.3
    margin: float = 0.15
    verify: int = 40
    bucket_cap: int = 2000
    #: When both documents have anchors of a kind and share none, the score is multiplied by the factor
    #: (two complaints about different towns or different facilities are rarely one).
    conflicts: Mapping[str, float] = field(default_factory=dict)
    #: Kinds whose values also agree when one contains the other (工地 / 地铁施工工地).
    contains_kinds: tuple[str, ...] = ()
    #: Kinds that conflict unless one document's values are all among the other's (a follow-up naming one
    #: of a letter's problems agrees with it; a water complaint and an odour complaint do not).
    subset_kinds: tuple[str, ...] = ()
    #: A short follow-up inside a long letter: the score is the Jaccard or ``containment`` × the share of
    #: the smaller document's shingles the other has, whichever is higher (0: the Jaccard alone).
    containment: float = 0.0
    scheme: int = 0

    def __post_init__(self):
        if self.num_perm % self.bands:
            raise ValueError("num_perm must be a multiple of bands")
        object.__setattr__(self, "stop_phrases", tuple(sorted(set(self.stop_phrases), key=len, reverse=True)))


@dataclass(frozen=True)
class Doc:
    key: Hashable
    text: str
    anchors: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """``key`` matches the searched document with ``score`` (the exact weighted Jaccard)."""

    key: Hashable
    score: float
    estimate: float  # the Jaccard the MinHashes estimated
    text_score: float  # the Jaccard of the text's shingles alone (no anchors)
    passages: tuple[str, ...] = ()  # shared passages, as they appear in the searched text
    shared: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # anchors both have, by kind
    conflicts: tuple[str, ...] = ()  # anchor kinds both have but share nothing of (the score was lowered)


@dataclass
class Stats:
    """What a search did: documents searched, candidates found through the index, pairs verified exactly."""

    searched: int = 0
    candidates: int = 0
    verified: int = 0
    max_candidates: int = 0

    def add(self, other: Stats) -> None:
        self.searched += other.searched
        self.candidates += other.candidates
        self.verified += other.verified
        self.max_candidates = max(self.max_candidates, other.max_candidates)


# ---------------------------------------------------------------------------------------------------------
# Shingles
# ---------------------------------------------------------------------------------------------------------


def normalise(text: str, settings: Settings) -> str:
    """The text as it is shingled: NFKC, lower case, synonyms replaced, stop phrases and punctuation removed
    (each leaves a space, so no shingle spans a removed phrase)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    for word, canonical in settings.synonyms:
        text = text.replace(word, canonical)
    for phrase in settings.stop_phrases:
        text = text.replace(phrase, " ")
    return _NON_WORD.sub(" ", text).strip()


def _words(part: str) -> list[str]:
    import jieba

    if jieba.default_logger.level < logging.WARNING:
        jieba.setLogLevel(logging.WARNING)  # its dictionary-loading notes would mix with a command's output
    return [w for w in jieba.lcut(part, HMM=False) if len(w) >= 2 and not w.isdigit()]


def text_shingles(text: str, settings: Settings) -> set[str]:
    """Word (jieba) and character-bigram shingles of a text."""
    out: set[str] = set()
    for part in normalise(text, settings).split():
        out.update("w" + w for w in _words(part))
        out.update("c" + part[i : i + 2] for i in range(len(part) - 1))
    return out


def anchor_shingles(anchors: Mapping[str, Sequence[str]], settings: Settings) -> set[str]:
    out: set[str] = set()
    for kind, values in anchors.items():
        weight = settings.weights.get(kind, 1)
        for value in values:
            out.update(f"a{kind}\x1f{value}\x1f{i}" for i in range(weight))
    return out


def _hash(shingles: Iterable[str]) -> frozenset[int]:
    return frozenset(zlib.crc32(s.encode("utf-8")) for s in shingles)


@dataclass(frozen=True)
class Features:
    """A document's hashed shingles: the text's alone and with the anchors."""

    text: frozenset[int]
    all: frozenset[int]


def features(doc: Doc, settings: Settings) -> Features:
    text = _hash(text_shingles(doc.text, settings))
    return Features(text, text | _hash(anchor_shingles(doc.anchors, settings)))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


# ---------------------------------------------------------------------------------------------------------
# Signatures
# ---------------------------------------------------------------------------------------------------------


def _key64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def anchor_keys(anchors: Mapping[str, Sequence[str]], settings: Settings) -> list[int]:
    """The index keys of a document's anchor combinations (``key_pairs``): one per combination of values."""
    keys = []
    for kinds in settings.key_pairs:
        combos: list[tuple[str, ...]] = [()]
        for kind in kinds:
            combos = [c + (f"{kind}={v}",) for c in combos for v in dict.fromkeys(anchors.get(kind, ()))]
        keys.extend(_key64("|".join(c)) for c in combos if c)
    return sorted(set(keys))


def _pack_anchors(anchors: Mapping[str, Sequence[str]]) -> bytes:
    return "\x1e".join(f"{k}\x1f" + "\x1f".join(v) for k, v in anchors.items() if v).encode("utf-8")


def _unpack_anchors(raw: bytes) -> dict[str, tuple[str, ...]]:
    out = {}
    for part in raw.decode("utf-8").split("\x1e") if raw else ():
        kind, *values = part.split("\x1f")
        out[kind] = tuple(values)
    return out


@dataclass(frozen=True)
class Signature:
    """What the index keeps of a document: its MinHash and anchor keys (to find it), its hashed shingles and
    its anchors (to verify it exactly without its text)."""

    minhash: np.ndarray  # uint32[num_perm]
    keys: np.ndarray  # uint64 anchor keys
    features: Features
    anchors: Mapping[str, tuple[str, ...]]

    def to_bytes(self, settings: Settings) -> bytes:
        feats = np.array(sorted(self.features.all), dtype="<u4")
        packed = _pack_anchors(self.anchors)
        head = _HEADER.pack(
            _MAGIC, VERSION, settings.scheme, settings.num_perm, len(self.keys), len(feats), len(packed)
        )
        return b"".join(
            (head, self.minhash.astype("<u4").tobytes(), self.keys.astype("<u8").tobytes(), feats.tobytes(), packed)
        )

    @classmethod
    def from_bytes(cls, data, settings: Settings) -> Signature | None:
        """The signature stored in ``data``, or None when there is none or it was made another way."""
        found = _parse_head(data, settings)
        if found is None:
            return None
        data, minhash, keys, count = found
        return cls(minhash, keys, *_parse_detail(data, settings, count))


def _parse_head(data, settings: Settings):
    """(bytes, MinHash, anchor keys, shingle count) of a stored signature made the current way, or None."""
    if not data:
        return None
    data = bytes(data)
    if len(data) < _HEADER.size:
        return None
    magic, version, scheme, num_perm, nkeys, nfeats, nanchors = _HEADER.unpack_from(data)
    if (magic, version, scheme, num_perm) != (_MAGIC, VERSION, settings.scheme, settings.num_perm):
        return None
    if len(data) != _HEADER.size + 4 * num_perm + 8 * nkeys + 4 * nfeats + nanchors:
        return None
    minhash = np.frombuffer(data, "<u4", num_perm, _HEADER.size)
    keys = np.frombuffer(data, "<u8", nkeys, _HEADER.size + 4 * num_perm)
    return data, minhash, keys, nfeats


def _parse_detail(data: bytes, settings: Settings, nfeats: int) -> tuple[Features, dict]:
    _magic, _v, _s, num_perm, nkeys, _n, nanchors = _HEADER.unpack_from(data)
    at = _HEADER.size + 4 * num_perm + 8 * nkeys
    everything = frozenset(np.frombuffer(data, "<u4", nfeats, at).tolist())
    anchors = _unpack_anchors(data[at + 4 * nfeats : at + 4 * nfeats + nanchors])
    return Features(everything - _hash(anchor_shingles(anchors, settings)), everything), anchors


def _minhash(values: Iterable[frozenset[int]], settings: Settings) -> list[np.ndarray]:
    from datasketch import MinHash

    batches = [np.fromiter(v, dtype=np.uint64, count=len(v)) if v else np.zeros(1, np.uint64) for v in values]
    return [
        m.hashvalues.astype(np.uint32)
        for m in MinHash.generator(batches, num_perm=settings.num_perm, seed=1, hashfunc=int, scheme="affine32")
    ]


def sign_many(docs: Sequence[Doc], settings: Settings) -> list[Signature]:
    feats = [features(d, settings) for d in docs]
    return [
        Signature(
            mh,
            np.array(anchor_keys(d.anchors, settings), dtype=np.uint64),
            f,
            {k: tuple(dict.fromkeys(v)) for k, v in d.anchors.items() if v},
        )
        for d, mh, f in zip(docs, _minhash([f.all for f in feats], settings), feats, strict=True)
    ]


def sign(doc: Doc, settings: Settings) -> Signature:
    return sign_many([doc], settings)[0]


# ---------------------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------------------

_FNV = np.uint64(0x100000001B3)


def band_keys(minhashes: np.ndarray, settings: Settings) -> np.ndarray:
    """n × bands uint64: each LSH band of each MinHash folded into one key (the band number included)."""
    rows = settings.num_perm // settings.bands
    n = minhashes.shape[0]
    out = np.empty((n, settings.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for b in range(settings.bands):
            key = np.full(n, np.uint64(0xCBF29CE484222325) ^ np.uint64(b + 1), dtype=np.uint64)
            for col in minhashes[:, b * rows : (b + 1) * rows].T.astype(np.uint64):
                key = (key ^ col) * _FNV
            out[:, b] = key
    return out


class Index:
    """An equal index over signatures: LSH band keys and anchor keys → the documents that have them.

    Add documents oldest first (a crowded bucket keeps its newest ``bucket_cap``) — signatures, or their
    stored bytes (read in full only for the candidates verified) — then search."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.keys: list[Hashable] = []
        self._minhashes: list[np.ndarray] = []
        self._anchor_keys: list[np.ndarray] = []
        self._sizes: list[int] = []
        self._details: list = []  # Signature, or (bytes, shingle count) until read
        self._frozen = False

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: Hashable, signature: Signature) -> None:
        self._append(key, signature.minhash, signature.keys, len(signature.features.all), signature)

    def add_bytes(self, key: Hashable, data) -> bool:
        """Add a stored signature; False (nothing added) when it is missing or was made another way."""
        found = _parse_head(data, self.settings)
        if found is None:
            return False
        data, minhash, keys, count = found
        self._append(key, minhash, keys, count, (data, count))
        return True

    def _append(self, key, minhash, keys, size, detail) -> None:
        self.keys.append(key)
        self._minhashes.append(minhash)
        self._anchor_keys.append(keys)
        self._sizes.append(size)
        self._details.append(detail)
        self._frozen = False

    def signature(self, row: int) -> Signature:
        """The signature of the document added ``row``-th."""
        detail = self._details[row]
        if not isinstance(detail, Signature):
            feats, anchors = _parse_detail(detail[0], self.settings, detail[1])
            detail = Signature(self._minhashes[row], self._anchor_keys[row], feats, anchors)
            self._details[row] = detail
        return detail

    def _freeze(self) -> None:
        if self._frozen:
            return
        n = len(self.keys)
        self.minhashes = (
            np.vstack(self._minhashes) if n else np.zeros((0, self.settings.num_perm), dtype=np.uint32)
        )
        self.sizes = np.array(self._sizes, dtype=np.float64)
        bands = band_keys(self.minhashes, self.settings)
        counts = np.fromiter((len(k) for k in self._anchor_keys), dtype=np.int64, count=n)
        anchors = np.concatenate(self._anchor_keys) if n and counts.sum() else np.zeros(0, np.uint64)
        all_keys = np.concatenate([bands.ravel(), anchors.astype(np.uint64)])
        owners = np.concatenate([np.repeat(np.arange(n), self.settings.bands), np.repeat(np.arange(n), counts)])
        order = np.lexsort((owners, all_keys))  # by key, then oldest first
        self._sorted_keys = all_keys[order]
        self._owners = owners[order]
        self._frozen = True

    def query_keys(self, signature: Signature) -> np.ndarray:
        bands = band_keys(signature.minhash.reshape(1, -1), self.settings)[0]
        return np.concatenate([bands, signature.keys.astype(np.uint64)])

    def candidates(self, signature: Signature) -> tuple[np.ndarray, np.ndarray]:
        """Rows sharing a bucket with the signature (at most ``bucket_cap`` per bucket, the newest), and how
        much anchor evidence each shares: the sum over its shared anchor keys of 1/√(bucket size) — a company
        or an address few cases share says more than a town and a problem type thousands share."""
        self._freeze()
        keys = self.query_keys(signature)
        lo = np.searchsorted(self._sorted_keys, keys, "left")
        hi = np.searchsorted(self._sorted_keys, keys, "right")
        cap = self.settings.bucket_cap
        parts = [self._owners[max(a, b - cap) : b] for a, b in zip(lo, hi, strict=True) if b > a]
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        rows = np.unique(np.concatenate(parts))
        bands = self.settings.bands
        spans = [(a, b) for a, b in zip(lo[bands:], hi[bands:], strict=True) if b > a]
        evidence = np.zeros(len(rows), dtype=np.float64)
        if spans:
            owners = np.concatenate([self._owners[max(a, b - cap) : b] for a, b in spans])
            weights = np.concatenate([np.full(min(b - a, cap), 1 / np.sqrt(b - a)) for a, b in spans])
            evidence = np.bincount(np.searchsorted(rows, owners), weights=weights, minlength=len(rows))
        return rows, evidence

    def estimate(self, rows: np.ndarray, signature: Signature) -> np.ndarray:
        """The score the MinHashes estimate: the Jaccard, or the weighted containment when higher."""
        self._freeze()
        j = (self.minhashes[rows] == signature.minhash).mean(axis=1)
        size = len(signature.features.all)
        if not self.settings.containment or not size:
            return j
        sizes = self.sizes[rows]
        small = np.maximum(np.minimum(sizes, size), 1)
        contained = np.minimum(j / (1 + j) * (sizes + size) / small, 1.0)
        return np.maximum(j, self.settings.containment * contained)


# ---------------------------------------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------------------------------------


def _related(a: str, b: str) -> bool:
    """One contains the other (工地 / 地铁施工工地), or they share two characters in a row (五金作坊 /
    五金加工作坊, 无牌废品站 / 无证废品回收站)."""
    if a in b or b in a:
        return True
    pairs = {a[i : i + 2] for i in range(len(a) - 1)}
    return any(b[i : i + 2] in pairs for i in range(len(b) - 1))


def _shared(a: Mapping, b: Mapping, settings: Settings) -> dict[str, tuple[str, ...]]:
    """The anchors both have, by kind (``contains_kinds`` also agree when related)."""
    out = {}
    for kind, values in a.items():
        others = list(b.get(kind, ()))
        if not others:
            continue
        related = kind in settings.contains_kinds
        common = [v for v in dict.fromkeys(values) if v in others or (related and any(_related(v, o) for o in others))]
        if common:
            out[kind] = tuple(common)
    return out


def conflicts(a: Mapping, b: Mapping, shared: Mapping[str, Sequence[str]], settings: Settings) -> tuple[str, ...]:
    """The anchor kinds both have but share no value of (for ``subset_kinds``: neither's values are all
    among the other's)."""
    out = []
    for kind in settings.conflicts:
        mine, theirs = set(a.get(kind, ())), set(b.get(kind, ()))
        if not mine or not theirs:
            continue
        if kind in settings.subset_kinds:
            if not (mine <= theirs or theirs <= mine):
                out.append(kind)
        elif not shared.get(kind):
            out.append(kind)
    return tuple(out)


def _upper(fa: Features, fb: Features, settings: Settings) -> float:
    """The score before conflicts: the Jaccard, or the weighted containment when higher."""
    inter = len(fa.all & fb.all)
    if not inter:
        return 0.0
    score = inter / (len(fa.all) + len(fb.all) - inter)
    if settings.containment:
        score = max(score, settings.containment * inter / min(len(fa.all), len(fb.all)))
    return score


def score(
    fa: Features, anchors_a: Mapping, fb: Features, anchors_b: Mapping, settings: Settings
) -> tuple[float, dict, tuple[str, ...]]:
    """(score, shared anchors, conflicting kinds) of two documents' features and anchors."""
    shared = _shared(anchors_a, anchors_b, settings)
    against = conflicts(anchors_a, anchors_b, shared, settings)
    value = _upper(fa, fb, settings)
    for kind in against:
        value *= settings.conflicts[kind]
    return value, shared, against


def compare(doc: Doc, other: Doc, settings: Settings, *, estimate: float | None = None) -> Match:
    """The exact comparison of two documents."""
    fa, fb = features(doc, settings), features(other, settings)
    value, shared, against = score(fa, doc.anchors, fb, other.anchors, settings)
    return Match(
        key=other.key,
        score=value,
        estimate=value if estimate is None else float(estimate),
        text_score=jaccard(fa.text, fb.text),
        passages=passages(doc.text, other.text) if value >= settings.threshold else (),
        shared=shared,
        conflicts=against,
    )


# ---------------------------------------------------------------------------------------------------------
# Searching
# ---------------------------------------------------------------------------------------------------------


def _choose(index: Index, signature: Signature, settings: Settings, skip_row: int | None) -> tuple[list, int]:
    """The candidates to verify: those the MinHashes put near the threshold or above, the ones sharing the
    most anchor evidence first, then by the estimate; at most ``verify``. Also how many candidates there were."""
    rows, hits = index.candidates(signature)
    if skip_row is not None:
        keep = rows != skip_row
        rows, hits = rows[keep], hits[keep]
    if not len(rows):
        return [], 0
    est = index.estimate(rows, signature)
    keep = est >= settings.threshold - settings.margin
    rows, est, hits = rows[keep], est[keep], hits[keep]
    best = np.lexsort((-est, -hits))[: settings.verify]
    return [(int(rows[i]), float(est[i])) for i in best], len(keep)


def search(
    index: Index,
    docs: Sequence[Doc],
    *,
    texts: Callable[[list[Hashable]], Mapping[Hashable, str]] | None = None,
    signatures: Sequence[Signature] | None = None,
    skip_self: bool = False,
    threshold: float | None = None,
) -> tuple[dict[Hashable, list[Match]], Stats]:
    """Each document's matches in the index, best first. Candidates are verified on their stored shingles
    and anchors; ``texts(keys)`` gives the matched documents' texts, for the shared passages (no passages
    without it). With ``skip_self`` a document does not match its own key."""
    settings = index.settings
    threshold = settings.threshold if threshold is None else threshold
    signatures = signatures if signatures is not None else sign_many(docs, settings)
    row_of = {k: i for i, k in enumerate(index.keys)} if skip_self else {}
    stats = Stats(searched=len(docs))
    found: list[list[tuple]] = []
    for doc, sig in zip(docs, signatures, strict=True):
        chosen, count = _choose(index, sig, settings, row_of.get(doc.key))
        stats.candidates += count
        stats.max_candidates = max(stats.max_candidates, count)
        kept = []
        for row, est in chosen:
            stats.verified += 1
            other = index.signature(row)
            value, shared, against = score(sig.features, sig.anchors, other.features, other.anchors, settings)
            if value >= threshold:
                text_score = jaccard(sig.features.text, other.features.text)
                kept.append((index.keys[row], value, est, text_score, shared, against))
        found.append(kept)
    matched = list(dict.fromkeys(k for kept in found for k, *_rest in kept))
    stored_texts = texts(matched) if texts and matched else {}
    out: dict[Hashable, list[Match]] = {}
    for doc, kept in zip(docs, found, strict=True):
        if kept:
            out[doc.key] = sorted(
                (
                    Match(k, v, e, t, passages(doc.text, stored_texts[k]) if k in stored_texts else (), sh, ag)
                    for k, v, e, t, sh, ag in kept
                ),
                key=lambda m: -m.score,
            )
    return out, stats


def search_within(
    docs: Sequence[Doc],
    settings: Settings,
    *,
    signatures: Sequence[Signature] | None = None,
    threshold: float | None = None,
):
    """The matches of each document among the others of the same list (a batch compared with itself)."""
    index = Index(settings)
    signatures = signatures if signatures is not None else sign_many(docs, settings)
    for doc, sig in zip(docs, signatures, strict=True):
        index.add(doc.key, sig)
    by_key = {d.key: d.text for d in docs}
    return search(
        index, docs, texts=lambda keys: {k: by_key[k] for k in keys}, signatures=signatures, skip_self=True,
        threshold=threshold,
    )


def brute_force(
    docs: Sequence[Doc], others: Sequence[Doc], settings: Settings, *, threshold: float | None = None
) -> dict[Hashable, list[tuple[Hashable, float]]]:
    """The all-pairs comparison the index avoids: every document against every other, exactly, with the
    same score as :func:`search`."""
    threshold = settings.threshold if threshold is None else threshold
    fo = [(o, features(o, settings)) for o in others]
    out = {}
    for doc in docs:
        fd = features(doc, settings)
        hits = []
        for other, f in fo:
            if other.key == doc.key or _upper(fd, f, settings) < threshold:
                continue  # conflicts only lower the score: below the threshold before them is below after
            value = score(fd, doc.anchors, f, other.anchors, settings)[0]
            if value >= threshold:
                hits.append((other.key, value))
        if hits:
            out[doc.key] = sorted(hits, key=lambda h: -h[1])
    return out


def clusters(pairs: Iterable[tuple[Hashable, Hashable]]) -> list[list[Hashable]]:
    """Connected groups of matched keys (union-find), biggest first."""
    parent: dict = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra
    groups: dict = {}
    for x in parent:
        groups.setdefault(root(x), []).append(x)
    return sorted((sorted(g, key=str) for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), str(g[0])))
