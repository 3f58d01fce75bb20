"""Exercise 1: the 44-parameter shapes with up to four hidden layers."""


def count_parameters(sizes, bias=True):
    """Weights (and biases) of fully connected layers sizes[0] -> sizes[1] -> ..."""
    pairs = zip(sizes, sizes[1:])
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out in pairs)


def shapes_with(target, bias, max_hidden_layers=4, n_in=2, n_out=1):
    """All [n_in, h1, ..., n_out] with target parameters. The page's search tries
    every width in every layer (44**4, 3.7 million shapes for four layers); this
    one grows a shape layer by layer and stops widening once it has too many."""
    found = []

    def grow(hidden):
        if hidden and count_parameters([n_in, *hidden, n_out], bias) == target:
            found.append([n_in, *hidden, n_out])
        if len(hidden) == max_hidden_layers:
            return
        for width in range(1, target + 1):
            if count_parameters([n_in, *hidden, width], bias) > target:
                break  # later layers only add parameters, and wider is only more
            grow([*hidden, width])

    grow([])
    return sorted(found, key=len)


for bias in (True, False):
    shapes = shapes_with(44, bias)
    by_depth = {k: sum(len(s) - 2 == k for s in shapes) for k in range(1, 5)}
    name = "with" if bias else "without"
    print(f"{name} biases: {len(shapes)} shapes, by hidden layers {by_depth}")
#> with biases: 56 shapes, by hidden layers {1: 0, 2: 1, 3: 9, 4: 46}
#> without biases: 157 shapes, by hidden layers {1: 0, 2: 1, 3: 17, 4: 139}
four = ["-".join(map(str, s)) for s in shapes_with(44, True) if len(s) == 6]
print("four hidden layers, with biases:")
#> four hidden layers, with biases:
for start in range(0, len(four), 6):
    print("   ", "  ".join(f"{s:12}" for s in four[start:start + 6]).rstrip())
#>     2-1-1-1-12-1  2-1-1-4-5-1   2-1-1-5-4-1   2-1-1-12-1-1  2-1-2-1-11-1  2-1-2-4-4-1
#>     2-1-2-5-3-1   2-1-3-1-10-1  2-1-3-4-3-1   2-1-3-5-2-1   2-1-4-1-9-1   2-1-4-4-2-1
#>     2-1-4-5-1-1   2-1-5-1-8-1   2-1-5-4-1-1   2-1-6-1-7-1   2-1-7-1-6-1   2-1-8-1-5-1
#>     2-1-9-1-4-1   2-1-10-1-3-1  2-1-11-1-2-1  2-1-12-1-1-1  2-2-3-1-8-1   2-2-3-2-5-1
#>     2-2-3-4-2-1   2-2-4-3-2-1   2-2-6-1-4-1   2-3-2-2-5-1   2-3-2-6-1-1   2-3-3-1-6-1
#>     2-3-3-3-2-1   2-3-3-4-1-1   2-3-4-2-2-1   2-3-6-1-1-1   2-4-1-1-8-1   2-4-1-3-4-1
#>     2-4-1-4-3-1   2-4-1-8-1-1   2-4-2-1-6-1   2-4-3-1-4-1   2-4-3-2-2-1   2-4-4-1-2-1
#>     2-5-3-1-2-1   2-7-1-1-4-1   2-7-1-4-1-1   2-7-2-1-1-1
