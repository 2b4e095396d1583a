#!/usr/bin/python3
"""Side-by-side reference for `rapport model eval`: scikit-learn on the same split.

Reads the train/test CSVs written by `rapport model split` (comma-separated,
header), detects numeric and categorical columns the way Rapport does (numeric
when every non-missing value parses as a number; missing = "", "NA", "?"),
fits LogisticRegression (OneHotEncoder + StandardScaler in a ColumnTransformer)
and HistGradientBoostingClassifier (default parameters, native categorical
splits on ordinal-encoded categories), and prints one JSON line per model.

Used only for benchmarks, never by Rapport. Needs Debian's python3-sklearn:
    apt-get install -y python3-sklearn
    /usr/bin/python3 bench/sklearn_bank.py --train A.csv --test B.csv --target y --drop duration

A second real data set: `--make-retail OUT.csv` derives from UCI Online Retail
one row per customer who bought before 2011-09-01, with aggregates of the
purchases before that date and `bought_again` (yes when the customer bought
again between then and the end of the data, 2011-12-09).
"""

import argparse
import csv
import datetime
import gzip
import json
import time
from collections import defaultdict

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

MISSING = {"", "NA", "?"}


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def is_number(v):
    try:
        return np.isfinite(float(v))
    except ValueError:
        return False


def columns(header, rows, target, drop):
    """Returns the feature names split into numeric and categorical."""
    numeric, categorical = [], []
    for j, name in enumerate(header):
        if name == target or name in drop:
            continue
        values = [r[j].strip() for r in rows if r[j].strip() not in MISSING]
        (numeric if all(is_number(v) for v in values) else categorical).append(name)
    return numeric, categorical


def table(header, rows, numeric, categorical):
    pos = {n: j for j, n in enumerate(header)}
    num = np.array([[float(r[pos[n]]) if r[pos[n]].strip() not in MISSING else np.nan
                     for n in numeric] for r in rows], dtype=float)
    cat = np.array([[r[pos[n]].strip() for n in categorical] for r in rows], dtype=object)
    return num, cat


def labels(header, rows, target, positive):
    j = header.index(target)
    return np.array([1 if r[j].strip().lower() in positive else 0 for r in rows])


def logistic(nn, nc):
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="mean", add_indicator=True), StandardScaler()),
         list(range(nn))),
        ("cat", OneHotEncoder(handle_unknown="ignore"), list(range(nn, nn + nc))),
    ])
    return make_pipeline(pre, LogisticRegression(max_iter=5000))


def boosted(nn, nc, seed):
    pre = ColumnTransformer([
        ("num", "passthrough", list(range(nn))),
        ("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan),
         list(range(nn, nn + nc))),
    ])
    mask = [False] * nn + [True] * nc
    return make_pipeline(pre, HistGradientBoostingClassifier(categorical_features=mask, random_state=seed))


def make_retail(src, out, cutoff="2011-09-01"):
    """Writes customer aggregates before cutoff and whether they bought after it."""
    c = defaultdict(lambda: {"invoices": set(), "cancels": set(), "items": set(), "spend": 0.0,
                             "first": None, "last": None, "country": "", "after": False})
    with gzip.open(src, "rt", newline="") as f:
        for r in csv.DictReader(f):
            if not r["CustomerID"]:
                continue
            cu, day, inv = c[r["CustomerID"]], r["InvoiceDate"][:10], r["InvoiceNo"]
            if day >= cutoff:
                cu["after"] = cu["after"] or not inv.startswith("C")
                continue
            cu["country"] = r["Country"]
            if inv.startswith("C"):
                cu["cancels"].add(inv)
                continue
            cu["invoices"].add(inv)
            cu["items"].add(r["StockCode"])
            cu["spend"] += float(r["Quantity"]) * float(r["UnitPrice"])
            cu["first"] = min(cu["first"] or day, day)
            cu["last"] = max(cu["last"] or day, day)
    end = datetime.date.fromisoformat(cutoff)
    days = lambda d: (end - datetime.date.fromisoformat(d)).days
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["recency_days", "tenure_days", "invoices", "cancellations", "distinct_items",
                    "spend", "avg_basket", "country", "bought_again"])
        for _, cu in sorted(c.items()):
            if not cu["invoices"]:
                continue
            n = len(cu["invoices"])
            w.writerow([days(cu["last"]), days(cu["first"]), n, len(cu["cancels"]), len(cu["items"]),
                        round(cu["spend"], 2), round(cu["spend"] / n, 2), cu["country"],
                        "yes" if cu["after"] else "no"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--make-retail", metavar="OUT", help="derive the retail data set and exit")
    ap.add_argument("--retail-source", default="../shared/data/online-retail/online_retail.csv.gz")
    ap.add_argument("--train")
    ap.add_argument("--test")
    ap.add_argument("--target")
    ap.add_argument("--drop", default="")
    ap.add_argument("--positive", default="yes,true,1")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.make_retail:
        make_retail(a.retail_source, a.make_retail)
        return
    if not (a.train and a.test and a.target):
        ap.error("--train, --test and --target are required")
    drop = {d for d in a.drop.split(",") if d}
    positive = {p.lower() for p in a.positive.split(",") if p}
    h_train, r_train = read(a.train)
    h_test, r_test = read(a.test)
    numeric, categorical = columns(h_train, r_train, a.target, drop)
    x_train = np.hstack(table(h_train, r_train, numeric, categorical)).astype(object)
    x_test = np.hstack(table(h_test, r_test, numeric, categorical)).astype(object)
    y_train = labels(h_train, r_train, a.target, positive)
    y_test = labels(h_test, r_test, a.target, positive)
    nn, nc = len(numeric), len(categorical)
    for name, model in (("sklearn-logistic", logistic(nn, nc)), ("sklearn-hgb", boosted(nn, nc, a.seed))):
        start = time.time()
        model.fit(x_train, y_train)
        p = model.predict_proba(x_test)[:, 1]
        print(json.dumps({
            "model": name,
            "auc": round(roc_auc_score(y_test, p), 4),
            "logloss": round(log_loss(y_test, p), 4),
            "positive_rate": round(float(y_test.mean()), 4),
            "train_rows": len(y_train),
            "test_rows": len(y_test),
            "seconds": round(time.time() - start, 2),
        }))


if __name__ == "__main__":
    main()
