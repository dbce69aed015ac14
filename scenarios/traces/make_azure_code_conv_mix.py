#!/usr/bin/env python3
"""Merges the Azure LLM inference 2023 code and conversation traces into one generic-CSV trace.

Each trace is re-based to its own first arrival, the first WINDOW_S seconds of each are kept, and
the two are interleaved by arrival time: the two services share one cluster, as in S3. Deterministic
(no randomness). Usage: python3 make_azure_code_conv_mix.py > azure-code-conv-900s.csv
"""
import csv
import datetime
import os
import sys

WINDOW_S = 900
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data",
                    "traces", "azure_llm_2023")


def read(name):
    rows = []
    with open(os.path.join(DATA, name)) as f:
        for r in csv.DictReader(f):
            ts = r["TIMESTAMP"][:26]
            t = datetime.datetime.strptime(ts, "%Y-%m-%d %H:%M:%S.%f").timestamp()
            rows.append((t, int(r["ContextTokens"]), int(r["GeneratedTokens"])))
    t0 = rows[0][0]
    return [((t - t0) * 1000.0, p, o) for t, p, o in rows if (t - t0) < WINDOW_S and p >= 1 and o >= 1]


merged = sorted(read("AzureLLMInferenceTrace_code.csv") + read("AzureLLMInferenceTrace_conv.csv"))
out = sys.stdout
out.write("# Azure LLM inference 2023, code + conversation, first %d s of each, merged by arrival\n" % WINDOW_S)
out.write("arrival_ms,prompt_tokens,output_tokens\n")
for t, p, o in merged:
    out.write("%.3f,%d,%d\n" % (t, p, o))
