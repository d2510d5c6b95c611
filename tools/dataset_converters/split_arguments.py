"""The options the data-set converters share."""
from iois_mm.datasets.preparation import DEFAULT_RATIOS


def add_split_arguments(parser, default_out_dir: str) -> None:
    """The converters' common options: output, seed, ratios, image check."""
    parser.add_argument('--out-dir', default=default_out_dir,
                        help='where the annotation files go')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the split (same seed, same split)')
    parser.add_argument('--ratios', type=float, nargs=3,
                        default=DEFAULT_RATIOS,
                        metavar=('TRAIN', 'VAL', 'TEST'))
    parser.add_argument('--no-check-images', action='store_true',
                        help='skip opening every image to find corrupt files')
