"""Every fully connected 2-...-1 network with up to three hidden layers and 44 parameters."""
# --8<-- [start:count]
from itertools import product


def count_parameters(sizes, bias=True):
    """Weights (and biases) of fully connected layers sizes[0] -> sizes[1] -> ..."""
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out in zip(sizes, sizes[1:]))


print(count_parameters([2, 2, 1]))  # the course network: 6 + 3
#> 9
# --8<-- [end:count]


# --8<-- [start:enumerate]
def shapes_with(target, bias, max_hidden_layers=3, n_in=2, n_out=1):
    """All layer-size lists [n_in, h1, ..., n_out] whose parameter count is target."""
    found = []
    for depth in range(1, max_hidden_layers + 1):
        # a hidden layer wider than the target already has too many weights
        for hidden in product(range(1, target + 1), repeat=depth):
            sizes = [n_in, *hidden, n_out]
            if count_parameters(sizes, bias) == target:
                found.append(sizes)
    return found


for bias in (True, False):
    shapes = shapes_with(44, bias)
    print(f"{'with' if bias else 'without'} biases: {len(shapes)} shapes")
    for sizes in shapes:
        print("   ", "-".join(map(str, sizes)))
#> with biases: 10 shapes
#>     2-5-4-1
#>     2-1-2-9-1
#>     2-1-9-2-1
#>     2-3-1-10-1
#>     2-3-4-3-1
#>     2-3-5-2-1
#>     2-5-2-4-1
#>     2-5-3-2-1
#>     2-6-1-6-1
#>     2-9-1-2-1
#> without biases: 18 shapes
#>     2-1-21-1
#>     2-2-1-19-1
#>     2-2-2-12-1
#>     2-2-5-5-1
#>     2-2-6-4-1
#>     2-2-13-1-1
#>     2-4-1-16-1
#>     2-4-3-6-1
#>     2-4-4-4-1
#>     2-4-7-1-1
#>     2-5-2-8-1
#>     2-6-1-13-1
#>     2-8-1-10-1
#>     2-8-2-4-1
#>     2-8-3-1-1
#>     2-10-1-7-1
#>     2-12-1-4-1
#>     2-14-1-1-1
# --8<-- [end:enumerate]
