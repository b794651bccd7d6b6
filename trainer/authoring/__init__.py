"""The scenario authoring toolkit behind ``nextstep validate/test/graph/schema/new``.

- :mod:`~trainer.authoring.validate`: load errors, ``tests:`` errors and lint warnings of
  files, with ``file:line:col`` and stable codes (:mod:`~trainer.authoring.diagnostics`);
- :mod:`~trainer.authoring.lint`: the lint rules (``NS2xx``), most of them over
  :mod:`~trainer.authoring.flow`, which explores where a scenario can go;
- :mod:`~trainer.authoring.scenario_tests`: the ``tests:`` block and its runner (also behind
  :mod:`trainer.testing` for pytest);
- :mod:`~trainer.authoring.graph`: Mermaid and Graphviz diagrams;
- :mod:`~trainer.authoring.schema`: the JSON Schema, generated from the model;
- :mod:`~trainer.authoring.scaffold`: ``nextstep new``;
- :mod:`~trainer.authoring.watch`: reloading a scenario during practice.

Modules load on use; nothing here imports the terminal UI.
"""
