"""Benchmarks of imblearn-baegan against SMOTE and the other over-samplers.

Run them with ``python benchmarks/run.py {images,tabular,cost,all}``; see
``benchmarks/README.md``.
"""
