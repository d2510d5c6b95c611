from .generative_quality import (classifier_features, colour_outliers,
                                 compare_feature_sets, frechet_distance,
                                 knn_precision_recall, quality_report,
                                 thumbnail_features)
from .metrics import ImbalancedMetric

__all__ = [
    'ImbalancedMetric', 'classifier_features', 'colour_outliers',
    'compare_feature_sets',
    'frechet_distance', 'knn_precision_recall', 'quality_report',
    'thumbnail_features'
]
