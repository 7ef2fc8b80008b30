"""Frames and a contrast check shared by the plot tests (no tests here).

The contrast is WCAG 2's, written out here as an outside reference for the plots' colours.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb


def probabilities():
    """Band probabilities of three units, one standard: two of them borderline."""
    return pd.DataFrame(
        {
            "pdu": ["York", "Leeds", "Hull"],
            "rating": ["Inadequate", "Good", "Requires improvement"],
            "p_outstanding": [0.0, 0.1, 0.05],
            "p_good": [0.02, 0.6, 0.25],
            "p_requires_improvement": [0.08, 0.25, 0.5],
            "p_inadequate": [0.9, 0.05, 0.2],
            "borderline": pd.array([False, True, True], dtype="boolean"),
        }
    )


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""
    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
