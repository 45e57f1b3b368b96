"""Stages: sources that turn raw inputs into document batches, and transforms over those batches."""
