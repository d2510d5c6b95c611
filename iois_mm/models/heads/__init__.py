from .synthetic_weighted_linear_cls_head import SyntheticWeightedLinearClsHead

__all__ = ['SyntheticWeightedLinearClsHead']
