from .imbalanced_metric import ImbalancedMetric

__all__ = ['ImbalancedMetric']
