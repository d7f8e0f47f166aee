#!/usr/bin/env bash
# Makes a clone of the workbook ready to open and run, in the dev container (.devcontainer/devcontainer.json runs
# it once, after the container is created: VS Code Dev Containers, GitHub Codespaces) or on your own Linux or
# macOS machine with the .NET SDK (10 or 11) and Jupyter installed. From the repository's folder:
#
#   bash .devcontainer/setup.sh
#
#   1. restores the kernel tool pinned in .config/dotnet-tools.json          dotnet tool restore
#   2. builds the library the notebooks load, and the runner                 dotnet build src/NeuralNet.Runner
#   3. installs the workbook's .NET (C#) kernelspec, the guarded one         dotnet run … -- --install-kernel
#      (never `dotnet-interactive jupyter install`: it leaves the kernel's HTTP API open; docs/security.md)
#   4. checks all of it                                                      dotnet run … -- --check
#   5. runs notebook 00 in that kernelspec through Jupyter, so the kernel has started once and notebook 00 is
#      known to run (the executed copy: artifacts/setup/00-start-here.ipynb)
#
# Running it again is safe: it rebuilds only what changed and writes the same kernelspec over the old one.
# A step that fails stops it, naming the step.
set -euo pipefail
cd "$(dirname "$0")/.."

step=""
trap 'echo "setup FAILED at step ${step}: see the error above. Run \`dotnet run --project src/NeuralNet.Runner -- --check\` to see what is missing." >&2' ERR
begin() { step="$1"; echo; echo "== setup ${step}"; }

begin "0/5: tools on the PATH"
for tool in dotnet jupyter; do
  command -v "$tool" >/dev/null || { echo "setup FAILED: \`$tool\` is not on the PATH (the dev container installs both; see docs/setup.md)" >&2; exit 1; }
done
jupyter nbconvert --version >/dev/null 2>&1 || { echo "setup FAILED: \`jupyter nbconvert\` is missing (python3 -m pip install --user notebook)" >&2; exit 1; }
dotnet --version

begin "1/5: the kernel tool (dotnet tool restore)"
dotnet tool restore

begin "2/5: the library and the runner (dotnet build src/NeuralNet.Runner)"
dotnet build src/NeuralNet.Runner --nologo -v quiet -tl:off -clp:NoSummary

begin "3/5: the guarded .NET (C#) kernelspec (--install-kernel)"
dotnet run --no-build --project src/NeuralNet.Runner -- --install-kernel

begin "4/5: the check (--check)"
dotnet run --no-build --project src/NeuralNet.Runner -- --check

begin "5/5: notebook 00 in the .NET (C#) kernel, through Jupyter"
mkdir -p artifacts/setup
jupyter nbconvert --to notebook --execute notebooks/00-start-here.ipynb --output-dir artifacts/setup \
  --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.startup_timeout=300
grep -o 'This kernel runs on [^"\\]*' artifacts/setup/00-start-here.ipynb | head -n 1

echo
echo "Setup done: notebook 00 ran in the .NET (C#) kernel (artifacts/setup/00-start-here.ipynb)."
echo "Open notebooks/00-start-here.ipynb, pick the kernel .NET (C#) if asked, and run it."
