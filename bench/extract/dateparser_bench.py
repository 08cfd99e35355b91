#!/usr/bin/env python3
"""Runs dateparser's search_dates over the benchmark text (documents separated by form feeds) and
prints its throughput.

usage: dateparser_bench.py TEXT_FILE   (dateparser importable, e.g. PYTHONPATH=<pip --target dir>)
"""
import sys
import time
import warnings

warnings.filterwarnings("ignore")
from dateparser.search import search_dates  # noqa: E402

text = open(sys.argv[1], encoding="utf-8").read()
docs = [d for d in text.split("\f") if d.strip()]
found = 0
t0 = time.process_time()
for d in docs:
    try:
        found += len(search_dates(d, languages=["de", "en"]) or [])
    except Exception:  # dateparser raises on some inputs; count them as nothing found
        pass
dt = time.process_time() - t0
nbytes = len(text.encode("utf-8"))
print("dateparser_bytes=%d dateparser_cpu_seconds=%.3f dateparser_MBps=%.4f dates=%d"
      % (nbytes, dt, nbytes / dt / 1e6, found))
