"""A second recogniser for the header's handwritten number and date (see :mod:`.header_ocr`).

RapidOCR runs PaddleOCR's PP-OCRv6 text recognition model, which its wheel ships, on
onnxruntime: a neural line reader trained apart from Tesseract, so its mistakes are not
Tesseract's. On the 22 handwritten numbers and days of the 11 Quảng Ngãi scans, each read in
its slot as on the page, it read all 22 right where Tesseract read 4; 22 values are too few to
trust it alone for sure, so it votes, and a reading of its own only stands in for a value no two
readers agree on, still reported as uncertain (see :mod:`.header_ocr`). Only the recognition model is used
(the slot is already one line), loaded on the first slot that needs it, with one thread like
each Tesseract process.
"""
from __future__ import annotations

import functools
import threading

_LOADING = threading.Lock()


@functools.lru_cache(maxsize=1)
def _engine():
    from rapidocr import RapidOCR

    return RapidOCR(params={
        "Global.log_level": "error",
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def engine():
    """The recogniser, loaded once per process."""
    with _LOADING:  # two documents read in threads must not load the model twice
        return _engine()


def read_line(image) -> tuple[str, float]:
    """The text RapidOCR reads on a one-line PIL image and its score (0-1); ("", 0.0) when it
    cannot (not installed, or failing): the value then stays unconfirmed, as a second opinion
    must not cost the page."""
    try:
        import numpy as np

        result = engine()(np.asarray(image.convert("RGB")), use_det=False, use_cls=False, use_rec=True)
    except Exception:  # noqa: BLE001 - see above
        return "", 0.0
    return (result.txts[0], float(result.scores[0])) if result.txts else ("", 0.0)
