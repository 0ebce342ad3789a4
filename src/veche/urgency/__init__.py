"""Key concerns and urgency: which questions a person should see today, and in what order."""

from veche.urgency.detector import COLUMNS, UrgencyDetector
from veche.urgency.options import UrgencyOptions
from veche.urgency.priority import PriorityWeights, priority_scores

__all__ = ["COLUMNS", "PriorityWeights", "UrgencyDetector", "UrgencyOptions", "priority_scores"]
