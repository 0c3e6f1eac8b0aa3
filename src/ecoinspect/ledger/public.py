"""What other domain apps may use of the ledger (the one module the independence contract lets them import):
registering a problem from another app's record and reading a problem's state."""

from .choices import DeadlineKind, HandlingMode, ProblemSource, ProblemStatus
from .models import Problem
from .services.problems import problem_register

__all__ = ["DeadlineKind", "HandlingMode", "Problem", "ProblemSource", "ProblemStatus", "problem_register"]
