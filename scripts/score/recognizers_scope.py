#!/usr/bin/env python3
"""Select the Recognizers-Text cases in scope for mandat-extract and score them per case.

usage: recognizers_scope.py select SUITE.jsonl OUT.jsonl
       recognizers_scope.py score  SCOPE.jsonl PRED.jsonl

In scope (what the extractor is built to read; everything else is out of scope and listed by count):
  dates    DateExtractor, DateParser and DateTimeModel cases whose every expected entity is a single
           calendar date (type date / datetimeV2.date) written with a month name or in numeric
           d.m.yyyy / yyyy-mm-dd form and with a day number. Relative dates ("tomorrow", "next
           Friday"), times, durations, holidays and ranges are out of scope.
  numbers  NumberModel cases whose every expected entity is a cardinal number (type number) written
           in digits (with . , or space grouping) or as number words of at most two words.
           Ordinals, percentages, fractions and ranges are out of scope.
A case passes when the predicted spans of its family equal the expected spans exactly (the model
cases are exhaustive, so an extra span fails the case; extractor/parser cases need only contain them).
Offsets are UTF-8 bytes (byte_start/byte_end).
"""
import json
import re
import sys

MONTH = re.compile(
    r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|jän|mär|mai|okt|dez)[a-zäöü]*\.?\b")
NUMERIC = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
DAY = re.compile(r"\b\d{1,2}(st|nd|rd|th|\.)?\b")
DIGIT_NUMBER = re.compile(r"^-?\d{1,3}([., ]\d{3})*([.,]\d+)?$|^-?\d+([.,]\d+)?$")


def in_scope(r):
    fam, spec, exp = r["family"], r["spec"], r["expected"]
    if not exp:
        return None
    if fam == "DateTime" and spec in ("DateExtractor", "DateParser", "DateTimeModel"):
        for e in exp:
            if e.get("type") not in ("date", "datetimeV2.date"):
                return None
            t = e["text"]
            if not (NUMERIC.search(t) or (MONTH.search(t) and DAY.search(t))):
                return None
        return "dates"
    if fam == "Number" and spec == "NumberModel":
        for e in exp:
            if e.get("type") != "number":
                return None
            t = e["text"].strip()
            if not (DIGIT_NUMBER.match(t) or (t.replace("-", " ").count(" ") <= 1 and t.isalpha())):
                return None
        return "numbers"
    return None


def main():
    mode, a, b = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "select":
        kept = {"dates": 0, "numbers": 0}
        total = 0
        with open(b, "w", encoding="utf-8") as out:
            for line in open(a, encoding="utf-8"):
                r = json.loads(line)
                total += 1
                s = in_scope(r)
                if s:
                    r["scope"] = s
                    kept[s] += 1
                    out.write(json.dumps(r, ensure_ascii=False) + "\n")
        print("%s: %d cases, in scope: %d date, %d number" % (a, total, kept["dates"], kept["numbers"]))
        return
    gold = [json.loads(l) for l in open(a, encoding="utf-8")]
    pred = {}
    for l in open(b, encoding="utf-8"):
        p = json.loads(l)
        pred[p["id"]] = {(x["start"], x["end"]) for x in p["predicted"]}
    for scope in ("dates", "numbers"):
        recs = [r for r in gold if r["scope"] == scope]
        ok = 0
        for r in recs:
            exp = {(e["byte_start"], e["byte_end"]) for e in r["expected"]}
            got = pred.get(r["id"], set())
            if (got == exp) if r.get("exhaustive") else exp <= got:
                ok += 1
        if recs:
            print("%-8s %d/%d cases = %.3f" % (scope, ok, len(recs), ok / len(recs)))


if __name__ == "__main__":
    main()
