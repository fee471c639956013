"""clearplan: a council's SEND plan as checked data, computed figures and an accessible site."""

__version__ = "0.1.0"
