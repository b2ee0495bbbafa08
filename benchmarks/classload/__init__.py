"""benchmarks/classroom_load.py's parts: the hub, the students' install, their cgroups, a student, the sampling."""
