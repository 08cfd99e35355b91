#!/usr/bin/env python3
"""Field-level scorer for `mandat extract --json` output against a labelled corpus (gold.jsonl).

usage: devscore.py GOLD.jsonl PRED.jsonl [--min-f1 X] [--verbose]

Each prediction line is one extraction-contract object; its document id is the file stem of
"source" (docs/017.txt -> 017). For every scored field the script counts true positives, false
positives and false negatives over all documents and prints precision, recall and F1 per field,
then the micro-averaged F1 over all fields as the last line. Exit status 1 when that micro-F1 is
below --min-f1, 2 on unreadable input.

Scoring rules (see corpus/README.md):
  mission            token overlap between gold and predicted mission name (generic words ignored)
  ceiling            exact value; a wrong value listed in acceptable_extra is a miss but no false hit
  cabinet_decision,  exact ISO date; a prediction equal to the record's `inferable` value for a
  parliament_vote,   field whose gold is null is neither rewarded nor penalised
  mandate_end
  vote_result        every count given in gold must match (null gold counts are not checked)
  costs_eur          within 1 % of the gold amount
  legal_bases        set of canonical ids; non-canonical gold entries and acceptable extras are
                     never false hits
  deployed_strength  set of counts
"""

import argparse
import json
import os
import re
import sys

FIELDS = (
    "mission",
    "ceiling",
    "cabinet_decision",
    "parliament_vote",
    "vote_result",
    "mandate_end",
    "legal_bases",
    "costs_eur",
    "deployed_strength",
)
DATE_FIELDS = ("cabinet_decision", "parliament_vote", "mandate_end")
COUNT_KEYS = ("yes", "no", "abstain")

# Canonical legal-basis ids (extraction contract); only these are scored.
CANONICAL_BASIS = re.compile(
    r"^(UNSC \d+"
    r"|Art\. \d+(\(\d+\))? GG"
    r"|EU Council Decision \(CFSP\) \d{4}/\d+"
    r"|EU Council Joint Action \d{4}/\d+/CFSP"
    r"|UNCLOS)"
)
# Words that say what kind of mission a name is, not which one.
GENERIC_MISSION_WORDS = {"eu", "eunavfor", "navfor", "med", "operation", "nato", "mission"}


class Tally:
    """True positives, false positives and false negatives of one field."""

    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def basis_key(ref):
    """Comparable form of a legal-basis id: lower case, only letters, digits, '(', ')' and '/'."""
    ref = ref.strip()
    if ref.startswith("UNCLOS"):
        ref = "UNCLOS"
    return re.sub(r"[^0-9a-z()/]", "", ref.lower())


def mission_tokens(name):
    return set(re.findall(r"[a-z0-9]+", (name or "").lower())) - GENERIC_MISSION_WORDS


def same_mission(gold, pred):
    return bool(mission_tokens(gold) & mission_tokens(pred))


def plain(x):
    """The comparable value of a contract field: `value`, `date` or `id` of an object, else x."""
    if isinstance(x, dict):
        for key in ("value", "date", "id"):
            if key in x:
                return x[key]
        return None
    return x


def read_jsonl(path, what):
    rows = []
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    if what == "gold":
                        sys.exit(f"{path}:{n}: invalid JSON: {err}")
                    # a broken prediction line counts as a missing prediction
    except OSError as err:
        print(f"cannot read {what} file: {err}", file=sys.stderr)
        sys.exit(2)
    return rows


class Scorer:
    def __init__(self, verbose):
        self.tally = {f: Tally() for f in FIELDS}
        self.verbose = verbose

    def single(self, doc, field, gold, pred, correct, tolerated=False):
        """Score a single-valued field. `tolerated`: a wrong prediction that is not a false hit."""
        t = self.tally[field]
        if gold is not None and pred is not None:
            if correct:
                t.tp += 1
            else:
                t.fn += 1
                if not tolerated:
                    t.fp += 1
        elif gold is not None:
            t.fn += 1
        elif pred is not None and not tolerated:
            t.fp += 1
        if self.verbose and (gold is not None or pred is not None) and not correct:
            print(f"  {doc} {field}: gold={gold!r} pred={pred!r}")

    def document(self, g, p):
        doc = g["id"]
        m = p.get("mandate") or {}
        facts = g["facts"]
        extra = g.get("acceptable_extra") or {}
        inferable = g.get("inferable") or {}

        pm = m.get("mission") or (p.get("missions") or [None])[0]
        self.single(doc, "mission", g.get("mission"), pm,
                    pm is not None and same_mission(g.get("mission"), pm))

        pc, gc = plain(m.get("ceiling")), facts.get("ceiling")
        self.single(doc, "ceiling", gc, pc, pc == gc, pc in (extra.get("ceiling") or []))

        for field in DATE_FIELDS:
            pv, gv = plain(m.get(field)), facts.get(field)
            if gv is None and field in inferable and pv == inferable[field]:
                continue
            self.single(doc, field, gv, pv, pv == gv)

        vote = m.get("parliament_vote")
        counts = None
        if isinstance(vote, dict) and any(vote.get(k) is not None for k in COUNT_KEYS):
            counts = {k: vote.get(k) for k in COUNT_KEYS}
        gvr = facts.get("vote_result")
        self.single(doc, "vote_result", gvr, counts,
                    gvr is not None and counts is not None
                    and all(gvr[k] is None or gvr[k] == counts.get(k) for k in gvr))

        pe, ge = plain(m.get("costs_eur")), facts.get("costs_eur")
        self.single(doc, "costs_eur", ge, pe,
                    ge is not None and pe is not None and abs(pe - ge) <= 0.01 * ge)

        gold_bases = facts.get("legal_bases") or []
        canon = {basis_key(b) for b in gold_bases if CANONICAL_BASIS.match(b)}
        harmless = {basis_key(b) for b in gold_bases if not CANONICAL_BASIS.match(b)}
        harmless |= {basis_key(b) for b in extra.get("legal_bases") or []}
        pred_bases = {basis_key(plain(b) or "") for b in m.get("legal_bases") or []} - {""}
        t = self.tally["legal_bases"]
        t.tp += len(canon & pred_bases)
        t.fn += len(canon - pred_bases)
        t.fp += len(pred_bases - canon - harmless)
        if self.verbose and canon ^ pred_bases:
            print(f"  {doc} legal_bases: missing={sorted(canon - pred_bases)} "
                  f"extra={sorted(pred_bases - canon - harmless)}")

        gs = {d["count"] for d in facts.get("deployed_strength") or []}
        ps = {plain(d) for d in m.get("deployed_strength") or []} - {None}
        t = self.tally["deployed_strength"]
        t.tp += len(gs & ps)
        t.fn += len(gs - ps)
        t.fp += len(ps - gs)
        if self.verbose and gs ^ ps:
            print(f"  {doc} deployed_strength: gold={sorted(gs)} pred={sorted(ps)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--min-f1", type=float, default=0.0)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    gold = read_jsonl(args.gold, "gold")
    preds = {}
    for p in read_jsonl(args.pred, "prediction"):
        stem = os.path.splitext(os.path.basename(str(p.get("source", ""))))[0]
        preds[stem] = p

    scorer = Scorer(args.verbose)
    missing = 0
    for g in gold:
        p = preds.get(g["id"])
        if p is None:
            missing += 1
            p = {}
        scorer.document(g, p)

    total = Tally()
    for field in FIELDS:
        t = scorer.tally[field]
        total.tp += t.tp
        total.fp += t.fp
        total.fn += t.fn
        p, r, f = t.prf()
        print(f"{field:18s} P={p:.2f} R={r:.2f} F1={f:.2f}  (tp={t.tp} fp={t.fp} fn={t.fn})")
    if missing:
        print(f"documents with no prediction: {missing}")
    p, r, f = total.prf()
    print(f"corpus micro-F1 = {f:.3f} (P={p:.3f} R={r:.3f} tp={total.tp} fp={total.fp} fn={total.fn})")
    sys.exit(0 if f >= args.min_f1 else 1)


if __name__ == "__main__":
    main()
