"""Tokenized shard export: tokenizer loading and training, the mixture, Megatron shards, lineage.

- ``tokenizer``: ``ExportTokenizer`` (HF tokenizers JSON, GPT-2 vocab/merges, SentencePiece) and byte-level BPE training
- ``tokenize``: the map step, one chunk of documents to a flat token array (EOD after each) and its document table
- ``mixture``: the mixture table, seeded up/down-sampling and the spread-out stream order
- ``megatron``: ``ShardWriter`` and an independent ``IndexedShard`` reader of Megatron-Core IndexedDataset files
- ``torch_dataset``: ``TokenWindows``, fixed-length windows over the shards for PyTorch (torch imported lazily)
- ``config``: the manifest's ``export:`` section

The orchestration that knows the run directory is ``pipeline/export.py``.
"""
