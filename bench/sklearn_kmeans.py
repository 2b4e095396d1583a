#!/usr/bin/python3
"""Side-by-side benchmark of `rapport cluster` against scikit-learn's KMeans.

Make a deterministic synthetic table (1,000,000 x 8 by default) with planted
clusters, then fit scikit-learn on it the way `rapport cluster --csv` does
(standardise, k-means++ seeding, Lloyd iterations) and print one JSON line:

    /usr/bin/python3 bench/sklearn_kmeans.py --make /tmp/kmeans_1m.csv --rows 1000000 --seed 1
    /usr/bin/python3 bench/sklearn_kmeans.py --fit /tmp/kmeans_1m.csv --k 8 --max-iter 300 --n-init 1 --seed 1
    rapport cluster --csv /tmp/kmeans_1m.csv --k 8 --max-iter 300 --n-init 1 --seed 1

"seconds" covers the whole run from the first line of this script, imports
and CSV reading included, as the Go command's does. Write the CSV outside
the repository.
"""
import time

T0 = time.perf_counter()  # before the heavy imports: they are part of the cost

import argparse
import json
import os
import sys

import numpy as np

# The planted table: 8 clusters in 8 features whose units differ by up to
# 10,000x (so standardising matters) and whose spreads and sizes differ.
SCALES = np.array([1.0, 10.0, 100.0, 1000.0, 0.1, 5.0, 50.0, 2.0])
OFFSETS = np.array([0.0, 100.0, 5000.0, -2000.0, 1.0, 20.0, 300.0, -7.0])


def make(path, rows, seed, truth=None):
    """Write rows x 8 around 8 planted centres as CSV with a header."""
    rng = np.random.default_rng(seed)
    k, d = 8, len(SCALES)
    centres = rng.uniform(-6.0, 6.0, size=(k, d))
    spreads = rng.uniform(0.6, 1.2, size=k)
    weights = rng.uniform(0.5, 1.5, size=k)
    labels = rng.choice(k, size=rows, p=weights / weights.sum())
    x = centres[labels] + rng.standard_normal((rows, d)) * spreads[labels, None]
    x = x * SCALES + OFFSETS
    header = ",".join(f"f{j}" for j in range(d))
    np.savetxt(path, x, fmt="%.6g", delimiter=",", header=header, comments="")
    if truth:
        np.savetxt(truth, labels, fmt="%d", header="cluster", comments="")
    return {"rows": rows, "cols": d, "k": k, "path": path, "bytes": os.path.getsize(path),
            "seconds": round(time.perf_counter() - T0, 3)}


def read_csv(path):
    """Read the numeric table with the fastest reader installed."""
    try:
        import pandas as pd
    except ImportError:
        return np.loadtxt(path, delimiter=",", skiprows=1), "numpy.loadtxt"
    return pd.read_csv(path, dtype=np.float64, engine="c").to_numpy(), "pandas.read_csv"


def fit(path, k, max_iter, n_init, seed):
    """Standardise and fit KMeans as `rapport cluster` does; report."""
    import sklearn
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    x, reader = read_csv(path)
    read = time.perf_counter() - T0
    z = StandardScaler().fit_transform(x)
    km = KMeans(n_clusters=k, init="k-means++", n_init=n_init, max_iter=max_iter,
                random_state=seed, algorithm="lloyd").fit(z)
    sizes = np.bincount(km.labels_, minlength=k).tolist()
    return {"rows": x.shape[0], "k": k, "inertia": float(km.inertia_), "iterations": int(km.n_iter_),
            "sizes": sizes, "reader": reader, "sklearn": sklearn.__version__,
            "read_seconds": round(read, 3), "seconds": round(time.perf_counter() - T0, 3)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--make", metavar="FILE", help="write the synthetic CSV to FILE")
    mode.add_argument("--fit", metavar="FILE", help="fit scikit-learn KMeans on FILE")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--truth", metavar="FILE", help="with --make: also write the planted labels")
    p.add_argument("--k", type=int, default=8)
    p.add_argument("--max-iter", type=int, default=300)
    p.add_argument("--n-init", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if a.make:
        out = make(a.make, a.rows, a.seed, a.truth)
    else:
        out = fit(a.fit, a.k, a.max_iter, a.n_init, a.seed)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
