#!/usr/bin/python3
"""Write the NumPy reference data that the C# tests compare against.

Run from this folder with Debian's Python (it has python3-numpy):

    /usr/bin/python3 make_reference.py

It writes two files next to itself:

  numpy_random.json      outputs of NumPy's legacy generator (np.random.RandomState),
                         one case per (seed, group of calls), each case starting from a
                         freshly seeded generator and making its calls in order.
  mirror_training.json   an independent NumPy implementation, written from the
                         equations, of the original project's test notebook: data
                         generation, the shuffled train/test split, parameter
                         initialisation, forward pass, binary cross-entropy, backward
                         pass and 1000 iterations of gradient descent, in two variants
                         (all layers updated; output layer frozen as in the original's
                         bug), plus a tiny hand-sized case for backward-pass checks.

Conventions in the JSON:
  * A matrix or vector is {"shape": [...], "data": [...]} with data flattened in
    C (row-major) order. A scalar result has shape [] and a one-element data list.
  * Every number is a plain Python int or float (never a NumPy scalar), so json writes
    floats with repr() and they round-trip exactly to a C# double.
  * Each file records the NumPy version that produced it.
"""

import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def to_py(value):
    """Convert a NumPy array or scalar to plain Python ints/floats (lists for arrays)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def mat(a):
    """A NumPy array (or scalar) as {"shape": [...], "data": [flat, C order]}."""
    a = np.asarray(a)
    return {"shape": list(a.shape), "data": to_py(a.reshape(-1, order="C"))}


def write_json(name, obj):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


# ---------------------------------------------------------------------------
# Part 1: numpy_random.json
# ---------------------------------------------------------------------------

SEEDS = [0, 1, 3, 42, 4294967295]


def verify_raw32():
    """Check that rs.randint(0, 2**32, dtype=np.uint64) returns the raw MT19937 words.

    For a range of exactly 2**32 values NumPy's bounded-integer code returns the next
    32-bit output unchanged (no mask, no rejection). We check that claim two ways:
      * against the MT19937 reference value: init_genrand(5489) first output 3499211612;
      * against np.random.MT19937 with legacy seeding and random_raw, for every seed used.
    """
    rs = np.random.RandomState(5489)
    first = int(rs.randint(0, 2**32, size=1, dtype=np.uint64)[0])
    assert first == 3499211612, first
    for seed in SEEDS + [5489]:
        a = np.random.RandomState(seed).randint(0, 2**32, size=10, dtype=np.uint64)
        bg = np.random.MT19937()
        bg._legacy_seeding(seed)  # the same init_genrand(seed) that RandomState(seed) uses
        raw = bg.random_raw(10)
        assert (a == raw).all(), seed


def random_cases():
    """One case per (group, seed). Each step records what was called and what it returned."""
    cases = []

    def step(call, args, result):
        return {"call": call, "args": args, **mat(result)}

    for seed in SEEDS:
        # raw: ten raw 32-bit MT19937 outputs (verified equal to random_raw, see above).
        rs = np.random.RandomState(seed)
        cases.append({"name": "raw", "seed": seed, "steps": [
            step("raw32", {"size": 10},
                 rs.randint(0, 2**32, size=10, dtype=np.uint64)),
        ]})

        # uniform: doubles in [0, 1), each from two 32-bit words.
        rs = np.random.RandomState(seed)
        cases.append({"name": "uniform", "seed": seed, "steps": [
            step("random_sample", {"size": [7]}, rs.random_sample(size=7)),
        ]})

        # normal: polar Box-Muller keeps a spare normal between calls, so the odd
        # count (3*4=12 then 5) leaves a spare that the later randn(2) must use first;
        # random_sample() in between does not touch the spare.
        rs = np.random.RandomState(seed)
        cases.append({"name": "normal", "seed": seed, "steps": [
            step("randn", {"size": [3, 4]}, rs.randn(3, 4)),
            step("randn", {"size": [5]}, rs.randn(5)),
            step("random_sample", {"size": None}, np.asarray(rs.random_sample())),
            step("randn", {"size": [2]}, rs.randn(2)),
        ]})

        # randint: default dtype (int64 on Linux), high exclusive.
        rs = np.random.RandomState(seed)
        cases.append({"name": "randint", "seed": seed, "steps": [
            step("randint", {"low": 0, "high": 10, "size": [15]},
                 rs.randint(0, 10, size=15)),
            step("randint", {"low": -5, "high": 1000, "size": [7]},
                 rs.randint(-5, 1000, size=7)),
            step("randint", {"low": 0, "high": 2, "size": [9]},
                 rs.randint(0, 2, size=9)),
        ]})

        # choice: uniform, with replacement, no p. "a" is either a list of values or
        # an int n (meaning arange(n)).
        rs = np.random.RandomState(seed)
        cases.append({"name": "choice", "seed": seed, "steps": [
            step("choice", {"a": [0, 255], "size": [3, 5]},
                 rs.choice([0, 255], size=(3, 5))),
            step("choice", {"a": [0, 1], "size": [1, 8]},
                 rs.choice([0, 1], size=(1, 8))),
            step("choice", {"a": 5, "size": [6]}, rs.choice(5, size=6)),
        ]})

        # shuffle / permutation. shuffle_arange: a = arange(n); shuffle(a); result = a.
        rs = np.random.RandomState(seed)
        a20 = np.arange(20)
        rs.shuffle(a20)
        p17 = rs.permutation(17)
        a1 = np.arange(1)
        rs.shuffle(a1)
        a2 = np.arange(2)
        rs.shuffle(a2)
        cases.append({"name": "shuffle", "seed": seed, "steps": [
            step("shuffle_arange", {"n": 20}, a20),
            step("permutation", {"n": 17}, p17),
            step("shuffle_arange", {"n": 1}, a1),
            step("shuffle_arange", {"n": 2}, a2),
        ]})
    return cases


def make_numpy_random():
    verify_raw32()
    doc = {
        "numpy_version": np.__version__,
        "generator": "np.random.RandomState(seed) (legacy MT19937, init_genrand seeding)",
        "notes": [
            "Each case starts from a fresh np.random.RandomState(seed) and runs its steps in order.",
            "Results are flattened in C (row-major) order; 'shape' is the NumPy shape ([] for a scalar).",
            "raw32: rs.randint(0, 2**32, size=10, dtype=np.uint64). Verified in the script to equal "
            "MT19937._legacy_seeding(seed) + random_raw(10) for every seed, and seed 5489 gives 3499211612 first.",
            "random_sample: doubles ((a >> 5) * 67108864 + (b >> 6)) / 2**53 from two 32-bit words.",
            "randn: polar method; the spare normal survives across calls (and across random_sample calls).",
            "randint(low, high, size): default dtype int64; high exclusive.",
            "choice(a, size): a is a list of values or an int n meaning arange(n); uniform, with replacement.",
            "shuffle_arange(n): a = np.arange(n); rs.shuffle(a); result is a. permutation(n) = rs.permutation(n).",
        ],
        "cases": random_cases(),
    }
    write_json("numpy_random.json", doc)


# ---------------------------------------------------------------------------
# Part 2: mirror_training.json -- the network, written from the equations
# ---------------------------------------------------------------------------

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def relu(z):
    return np.maximum(0.0, z)


def init_params(layer_dims):
    """np.random.seed(3); W_l = randn(n_l, n_{l-1}) * 0.1, b_l = zeros((n_l, 1))."""
    np.random.seed(3)
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.1
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def forward(X, params, L):
    """Z_l = W_l A_{l-1} + b_l; ReLU for l < L, sigmoid for l = L. Returns AL and caches."""
    A = X
    caches = []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        Z = W @ A + b
        A_prev = A
        A = sigmoid(Z) if l == L else relu(Z)
        caches.append((A_prev, Z, A))
    return A, caches


def bce_cost(AL, Y):
    """-(1/m) * sum(Y log AL + (1 - Y) log(1 - AL))."""
    m = Y.shape[1]
    return float(-(1.0 / m) * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def accuracy(AL, Y):
    """Fraction of columns where (AL > 0.5) equals Y."""
    return float(np.mean((AL > 0.5).astype(float) == Y))


def backward(AL, Y, caches, params, L):
    """Gradients dW_l, db_l for l = L..1 (sigmoid at the output, ReLU below)."""
    m = Y.shape[1]
    grads = {}
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        A_prev, Z, A = caches[l - 1]
        if l == L:
            s = sigmoid(Z)
            dZ = dA * s * (1 - s)
        else:
            dZ = dA * (Z > 0).astype(float)
        grads[f"dW{l}"] = (dZ @ A_prev.T) / m
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = params[f"W{l}"].T @ dZ
    return grads


def train(X, Y, layer_dims, lr, iterations, update_layers):
    """Gradient descent. Per iteration: forward, record cost + accuracy, backward, update.

    update_layers: the layers whose W and b are updated ([1, 2, 3] = all; [1, 2] = the
    original's bug, where the output layer is never updated).
    """
    L = len(layer_dims) - 1
    params = init_params(layer_dims)
    costs, accs = [], []
    for _ in range(iterations):
        AL, caches = forward(X, params, L)
        costs.append(bce_cost(AL, Y))
        accs.append(accuracy(AL, Y))
        grads = backward(AL, Y, caches, params, L)
        for l in update_layers:
            params[f"W{l}"] = params[f"W{l}"] - lr * grads[f"dW{l}"]
            params[f"b{l}"] = params[f"b{l}"] - lr * grads[f"db{l}"]
    return params, costs, accs


def tiny_case():
    """A hand-sized network [3, 4, 1] with every intermediate of one forward/backward pass."""
    np.random.seed(2)
    X = np.random.randn(3, 5)
    Y = (np.random.random_sample((1, 5)) > 0.5).astype(float)
    np.random.seed(3)
    W1 = np.random.randn(4, 3) * 0.1
    b1 = np.random.randn(4, 1) * 0.1
    W2 = np.random.randn(1, 4) * 0.1
    b2 = np.random.randn(1, 1) * 0.1
    m = X.shape[1]

    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    cost = bce_cost(A2, Y)
    dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
    dZ2 = dA2 * A2 * (1 - A2)
    dW2 = (dZ2 @ A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (Z1 > 0).astype(float)
    dW1 = (dZ1 @ X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m

    # The case is only useful if both ReLU branches and both labels occur.
    assert (Z1 > 0).any() and (Z1 <= 0).any()
    assert 0 < Y.sum() < m

    return {
        "how": {
            "X": "np.random.seed(2); X = np.random.randn(3, 5)",
            "Y": "then (same generator) Y = (np.random.random_sample((1, 5)) > 0.5).astype(float)",
            "W1,b1,W2,b2": "np.random.seed(3); W1 = randn(4,3)*0.1; b1 = randn(4,1)*0.1; "
                           "W2 = randn(1,4)*0.1; b2 = randn(1,1)*0.1 (in that order)",
            "Z1": "W1 @ X + b1", "A1": "relu(Z1) = max(0, Z1)",
            "Z2": "W2 @ A1 + b2", "A2": "sigmoid(Z2) = 1/(1+exp(-Z2))",
            "cost": "-(1/m) * sum(Y*log(A2) + (1-Y)*log(1-A2)), m = 5",
            "dA2": "-(Y/A2 - (1-Y)/(1-A2))",
            "dZ2": "dA2 * A2 * (1 - A2)",
            "dW2": "dZ2 @ A1.T / m", "db2": "sum(dZ2, axis=1, keepdims=True) / m",
            "dA1": "W2.T @ dZ2",
            "dZ1": "dA1 * (Z1 > 0)",
            "dW1": "dZ1 @ X.T / m", "db1": "sum(dZ1, axis=1, keepdims=True) / m",
        },
        "layer_dims": [3, 4, 1],
        "X": mat(X), "Y": mat(Y),
        "W1": mat(W1), "b1": mat(b1), "W2": mat(W2), "b2": mat(b2),
        "Z1": mat(Z1), "A1": mat(A1), "Z2": mat(Z2), "A2": mat(A2), "cost": cost,
        "dA2": mat(dA2), "dZ2": mat(dZ2), "dW2": mat(dW2), "db2": mat(db2),
        "dA1": mat(dA1), "dZ1": mat(dZ1), "dW1": mat(dW1), "db1": mat(db1),
    }


def make_mirror_training():
    layer_dims = [12288, 10, 7, 1]
    lr = 0.05
    iterations = 1000
    n_samples = 259
    split_size = 0.2

    # Data, exactly as the notebook: the global generator seeded with 1.
    np.random.seed(1)
    X = np.random.choice([0, 255], size=(12288, n_samples))
    y = np.random.choice([0, 1], size=(1, n_samples))

    # Split: continue the same global generator, shuffle the column indices,
    # first m_train are training, the rest test.
    idx = np.arange(n_samples)
    np.random.shuffle(idx)
    m_train = int(n_samples * (1 - split_size))
    assert (m_train, n_samples - m_train) == (207, 52), m_train
    train_idx, test_idx = idx[:m_train], idx[m_train:]
    X_train = X[:, train_idx] / 255
    X_test = X[:, test_idx] / 255
    y_train = y[:, train_idx].astype(float)
    y_test = y[:, test_idx].astype(float)

    # Initial parameters and the first cost (notebook values).
    p0 = init_params(layer_dims)
    w1_first3 = p0["W1"][0, :3]
    assert np.allclose(w1_first3, [0.17886285, 0.04365099, 0.00964975], rtol=0, atol=5e-9), w1_first3
    AL0, _ = forward(X_train, p0, 3)
    first_cost = bce_cost(AL0, y_train)
    print("first cost:", repr(first_cost))
    print("W1[0,:3]:", w1_first3.tolist())
    assert abs(first_cost - 0.6837259954846229) < 1e-12, first_cost

    variants = {}
    for name, layers in [("all_layers_updated", [1, 2, 3]), ("output_layer_frozen", [1, 2])]:
        params, costs, accs = train(X_train, y_train, layer_dims, lr, iterations, layers)
        AL_train, _ = forward(X_train, params, 3)
        AL_test, _ = forward(X_test, params, 3)
        v = {
            "updated_layers": layers,
            "costs": costs,
            "train_accuracies": accs,
            "final_train_cost": bce_cost(AL_train, y_train),
            "final_train_accuracy": accuracy(AL_train, y_train),
            "final_test_accuracy": accuracy(AL_test, y_test),
            "final_W1_first_row": mat(params["W1"][0, :]),
            "final_W2": mat(params["W2"]), "final_W3": mat(params["W3"]),
            "final_b1": mat(params["b1"]), "final_b2": mat(params["b2"]),
            "final_b3": mat(params["b3"]),
        }
        variants[name] = v
        print(f"{name}: cost@1 {costs[0]!r}  @101 {costs[100]!r}  @501 {costs[500]!r}  "
              f"@1000 {costs[999]!r}")
        print(f"  train acc @1 {accs[0]}  final train cost {v['final_train_cost']!r}  "
              f"final train acc {v['final_train_accuracy']}  test acc {v['final_test_accuracy']}")

    doc = {
        "numpy_version": np.__version__,
        "how": {
            "data": "np.random.seed(1); X = np.random.choice([0, 255], size=(12288, 259)); "
                    "y = np.random.choice([0, 1], size=(1, 259))",
            "split": "idx = np.arange(259); np.random.shuffle(idx) (continuing the same global "
                     "generator); m_train = int(259 * (1 - 0.2)) = 207; train = idx[:207], "
                     "test = idx[207:]; X_train = X[:, train]/255, X_test = X[:, test]/255",
            "init": "np.random.seed(3); for l = 1..3: W_l = randn(n_l, n_{l-1}) * 0.1, b_l = zeros((n_l, 1))",
            "forward": "Z_l = W_l @ A_{l-1} + b_l; ReLU on layers 1-2, sigmoid on layer 3",
            "cost": "-(1/m) * sum(Y*log(AL) + (1-Y)*log(1-AL))",
            "backward": "dAL = -(Y/AL - (1-Y)/(1-AL)); dZ = dA * g'(Z) (sigmoid: s(1-s); ReLU: Z > 0); "
                        "dW = dZ @ A_prev.T / m; db = sum(dZ, axis=1, keepdims) / m; dA_prev = W.T @ dZ",
            "training": "lr 0.05, 1000 iterations; each iteration: forward on X_train, record cost and "
                        "accuracy (fraction where (AL > 0.5) == Y) of that forward pass, backward, "
                        "then W -= lr*dW, b -= lr*db for the variant's updated_layers. costs[i-1] and "
                        "train_accuracies[i-1] belong to iteration i (before its update).",
            "final": "after the 1000th update: final_train_cost/final_train_accuracy from a forward pass "
                     "on X_train, final_test_accuracy from a forward pass on X_test (threshold 0.5)",
            "float_note": "matrix products use NumPy/BLAS summation order; compare with a tolerance",
        },
        "layer_dims": layer_dims,
        "learning_rate": lr,
        "iterations": iterations,
        "split_size": split_size,
        "m_train": m_train,
        "m_test": n_samples - m_train,
        "data_checks": {
            "y": mat(y),
            "X_first_row_first20": mat(X[0, :20]),
            "X_last_row_last20": mat(X[-1, -20:]),
            "X_count_255": int(np.count_nonzero(X == 255)),
        },
        "train_indices": to_py(train_idx),
        "test_indices": to_py(test_idx),
        "initial": {
            "W1_first_row_first3": to_py(w1_first3),
            "W1_sum": float(p0["W1"].sum()),
            "W1_last_row_last3": to_py(p0["W1"][-1, -3:]),
            "W2": mat(p0["W2"]),
            "W3": mat(p0["W3"]),
        },
        "first_cost": first_cost,
        "variants": variants,
        "tiny": tiny_case(),
    }
    write_json("mirror_training.json", doc)


if __name__ == "__main__":
    print("numpy", np.__version__)
    make_numpy_random()
    make_mirror_training()
