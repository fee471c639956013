"""Reading built pages as text to compare with the data behind them."""

from __future__ import annotations


def without_term_explanations(element):
    """The element with glossary explanations taken out: "SEND (Special educational needs and
    disability)" reads "SEND" again, as the data has it. Changes the element in place."""
    for term in element.select(".cp-term"):
        if term.name == "span":
            term.decompose()
        else:
            term.unwrap()
    return element
