#!/usr/bin/env bash
# Scores mandat-extract's recognisers on the peer suites (../shared/peer-suites beside the repository,
# or PEER_SUITES=...): WikiWarsDE dates (strict/relaxed/value), Recognizers-Text German and English
# date and number cases in scope (see recognizers_scope.py), and German legal citations (exact F1,
# overall and for Basic Law articles).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
suites="${PEER_SUITES:-$root/../shared/peer-suites}"
[ -d "$suites" ] || { echo "peer suites not found at $suites (set PEER_SUITES)" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cargo build -q --release -p mandat-extract --example peer_predict --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/peer_predict"

echo "== WikiWarsDE (22 articles, 1,140 paragraphs; all TIMEX2 kinds)"
"$bin" dates "$suites/wikiwarsde/wikiwarsde_paragraphs.jsonl" "$tmp/ww.jsonl"
python3 "$suites/score_spans.py" "$suites/wikiwarsde/wikiwarsde_paragraphs.jsonl" "$tmp/ww.jsonl" --bytes --value-field val
echo "-- only kind=date"
python3 "$suites/score_spans.py" "$suites/wikiwarsde/wikiwarsde_paragraphs.jsonl" "$tmp/ww.jsonl" --bytes --value-field val --only-kind date
echo "   (HeidelTime 2.2.1: relaxed F1 0.939, value F1 0.832; dateparser: relaxed F1 0.396)"

for lang in de en; do
  echo "== Recognizers-Text $lang, cases in scope"
  python3 "$root/scripts/score/recognizers_scope.py" select "$suites/recognizers-text/recognizers_$lang.jsonl" "$tmp/rt.jsonl"
  python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
recs = [json.loads(l) for l in open(f"{tmp}/rt.jsonl", encoding="utf-8")]
for scope in ("dates", "numbers"):
    with open(f"{tmp}/rt_{scope}.jsonl", "w", encoding="utf-8") as f:
        for r in recs:
            if r["scope"] == scope:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
  "$bin" calendar "$tmp/rt_dates.jsonl" "$tmp/p_dates.jsonl"
  "$bin" numbers "$tmp/rt_numbers.jsonl" "$tmp/p_numbers.jsonl"
  cat "$tmp/p_dates.jsonl" "$tmp/p_numbers.jsonl" > "$tmp/p_rt.jsonl"
  python3 "$root/scripts/score/recognizers_scope.py" score "$tmp/rt.jsonl" "$tmp/p_rt.jsonl"
done

echo "== German legal citations (openlegaldata, law references only)"
python3 - "$suites/openlegaldata-refs/openlegaldata_refs_de.jsonl" "$tmp/law.jsonl" "$tmp/gg.jsonl" <<'PY'
import json, sys
src, law, gg = sys.argv[1:4]
with open(law, "w", encoding="utf-8") as fl, open(gg, "w", encoding="utf-8") as fg:
    for l in open(src, encoding="utf-8"):
        r = json.loads(l)
        exp = [e for e in r["expected"] if e["type"] == "law"]
        fl.write(json.dumps(dict(r, expected=exp), ensure_ascii=False) + "\n")
        fg.write(json.dumps(dict(r, expected=[e for e in exp if (e["value"] or {}).get("book") in ("gg", "grundgesetz")]), ensure_ascii=False) + "\n")
PY
"$bin" legal "$tmp/law.jsonl" "$tmp/p_law.jsonl"
python3 "$suites/score_spans.py" "$tmp/law.jsonl" "$tmp/p_law.jsonl" --bytes
echo "-- GG articles (predictions with an Art. ... GG id)"
python3 - "$tmp/p_law.jsonl" "$tmp/p_gg.jsonl" <<'PY'
import json, sys
with open(sys.argv[2], "w") as f:
    for l in open(sys.argv[1]):
        p = json.loads(l)
        p["predicted"] = [x for x in p["predicted"] if str(x.get("value", "")).endswith(" GG")]
        f.write(json.dumps(p) + "\n")
PY
python3 "$suites/score_spans.py" "$tmp/gg.jsonl" "$tmp/p_gg.jsonl" --bytes
