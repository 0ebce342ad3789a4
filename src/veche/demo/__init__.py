"""The demo event generator: a realistic flood of citizens' questions with ground truth.

>>> from veche.demo import generate, write_event
>>> ev = generate(n=200, seed=1)
>>> len(ev.questions) == len(ev.truth) == 200
True
"""

from veche.demo.generator import DemoEvent, generate, write_event

__all__ = ["DemoEvent", "generate", "write_event"]
