#!/usr/bin/python3
"""Makes the balanced Fashion-MNIST subset shipped in this folder (standard library only).

Usage:  /usr/bin/python3 make_subset.py [SOURCE_DIR] [OUTPUT_DIR]
  SOURCE_DIR  folder with the original four files (default /usr/share/datasets/fashion-mnist,
              installed by Debian's dataset-fashion-mnist package)
  OUTPUT_DIR  where to write the subset (default: the folder of this script)

Selection: walking each original file from its first image to its last, keep an image while its
class has fewer than PER_CLASS kept images: the first 200 images of each class from the training
file and the first 50 of each class from the test file, in their original order. Nothing random.
The output is gzip-compressed IDX, with the gzip timestamp set to 0 so that the bytes are the same
on every run.
"""
import gzip
import os
import struct
import sys

TRAIN_PER_CLASS = 200
TEST_PER_CLASS = 50
CLASSES = 10


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    payload = data[4 + 4 * ndim:]
    size = 1
    for d in dims:
        size *= d
    if len(payload) != size:
        sys.exit(f"{path}: header says {size} bytes, file has {len(payload)}")
    return dims, payload


def write_idx(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(f">{len(dims)}I", *dims)
    with open(path, "wb") as f:
        f.write(gzip.compress(header + payload, compresslevel=9, mtime=0))


def subset(source, out, prefix, per_class):
    image_dims, images = read_idx(os.path.join(source, f"{prefix}-images-idx3-ubyte.gz"))
    label_dims, labels = read_idx(os.path.join(source, f"{prefix}-labels-idx1-ubyte.gz"))
    count, rows, cols = image_dims
    assert label_dims == (count,), "images and labels disagree"
    pixels = rows * cols
    kept = [0] * CLASSES
    picked = []
    for i, label in enumerate(labels):
        if kept[label] < per_class:
            kept[label] += 1
            picked.append(i)
    assert kept == [per_class] * CLASSES, f"not enough images of some class: {kept}"
    write_idx(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), (len(picked), rows, cols),
              b"".join(images[i * pixels:(i + 1) * pixels] for i in picked))
    write_idx(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), (len(picked),),
              bytes(labels[i] for i in picked))
    print(f"{prefix}: {len(picked)} images ({per_class} per class), the last from original index {picked[-1]}")


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    subset(source, out, "train", TRAIN_PER_CLASS)
    subset(source, out, "t10k", TEST_PER_CLASS)


if __name__ == "__main__":
    main()
