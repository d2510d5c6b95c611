from .metrics import ImbalancedMetric

__all__ = ['ImbalancedMetric']
