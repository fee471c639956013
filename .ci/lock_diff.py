"""Print the packages whose installed version differs from requirements.lock (for make test-latest)."""

import re
import subprocess
import sys

lock_path, python = sys.argv[1], sys.argv[2]
locked = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", open(lock_path, encoding="utf-8").read(), re.M))
frozen = subprocess.run([python, "-m", "pip", "list", "--format=freeze", "--exclude-editable"], capture_output=True, text=True, check=True).stdout
installed = dict(line.split("==", 1) for line in frozen.splitlines() if "==" in line)


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


locked = {norm(k): v for k, v in locked.items()}
installed = {norm(k): v for k, v in installed.items()}
changed = [f"  {name}: {locked[name]} -> {installed[name]}" for name in sorted(locked.keys() & installed.keys()) if locked[name] != installed[name]]
added = [f"  {name}: new, {installed[name]}" for name in sorted(installed.keys() - locked.keys()) if name not in ("pip", "setuptools", "wheel")]
print("Newest allowed versions, compared with requirements.lock:")
print("\n".join(changed + added) if changed or added else "  the same as the lock")
