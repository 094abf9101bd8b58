/** Shell completion scripts generated from the commander program (commands and their options). */
import { Argument, type Command } from 'commander';
import type { Cli } from './registration.js';

function words(program: Command): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const c of program.commands) {
    map.set(
      c.name(),
      c.options
        .flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined))
        .concat('--help'),
    );
  }
  return map;
}

export function completionScript(shell: 'bash' | 'zsh', program: Command): string {
  const map = words(program);
  const commands = [...map.keys()].join(' ');
  const cases = [...map].map(([name, opts]) => `    ${name}) opts="${opts.join(' ')}" ;;`).join('\n');
  const bash = `# scsikit bash completion: eval "$(scsikit completion bash)"
_scsikit() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${commands} --help --version" -- "$cur") )
    return
  fi
  local opts=""
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") $(compgen -W "$(ls /dev/sg* /dev/sd? 2>/dev/null)" -- "$cur") )
  fi
}
complete -F _scsikit scsikit
`;
  if (shell === 'bash') return bash;
  // zsh runs the bash function through bashcompinit.
  return `# scsikit zsh completion: eval "$(scsikit completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bash}`;
}

/** Registers completion (its script lists every command of the program). */
export function registerCompletionCommand({ program, runner }: Cli): void {
  program
    .command('completion')
    .description('print a shell completion script (bash or zsh): eval "$(scsikit completion bash)"')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .action((shell: 'bash' | 'zsh') =>
      runner.local('completion', {}, () => ({ body: {}, text: completionScript(shell, program) })),
    );
}
