"""course_tools: what teachers and maintainers run; lessons never import it.

    python -m course_tools.handouts     every lesson as an offline HTML page (build/html/)
    python -m course_tools.images       rewrite the course's pictures in images/
    python -m course_tools.regenerate   re-run lessons and store their outputs (what nbval compares)
    python -m course_tools.classroom    teach a class with nbgrader: release, grade, self-study (docs/teachers_guide.md)
    python -m course_tools.machines     run tests as other CPUs would: every BLAS kernel, 1 and 2 threads (docs/maintaining.md)

``course_tools`` may import ``course_lib``; ``course_lib`` never imports ``course_tools``.
"""
