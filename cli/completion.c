/*
 * `rrkit completion bash|zsh`: completion scripts written from the option
 * tables (cli/opts.h), so every option of every command completes, with
 * its values (formats, rule ids, files) where the table names them.
 * `make install` installs both (bash-completion's completions/ directory,
 * zsh's site-functions).
 */
#include "cli/opts.h"
#include "cli/cli.h"
#include "validate/validate.h"

#include <string.h>

#define EACH(c, p)                                                             \
	for (const struct opt *const *t_ =                                     \
	             (const struct opt *const[]){(c)->opts, opts_common, NULL};     \
	     *t_; t_++)                                                        \
		for ((p) = *t_; (p) && (p)->name; (p)++)

static void
rule_ids(FILE *f, const char *sep)
{
	size_t i;
	for (i = 0; i < val_nrules; i++)
		if (!val_rules[i].retired)
			fprintf(f, "%s%s", i ? sep : "", val_rules[i].id);
}

/* ------------------------------------------------------------- bash */

/* The shell code that offers the values `v` (opt.values) for $cur. */
static void
bash_values(FILE *f, const char *v)
{
	if (!strcmp(v, "@file"))
		fputs("_rrkit_files", f);
	else if (!strcmp(v, "@dir"))
		fputs("_rrkit_dirs", f);
	else if (!strcmp(v, "@rule")) {
		fputs("_rrkit_list \"", f);
		rule_ids(f, " ");
		fputc('"', f);
	} else
		fprintf(f, "_rrkit_words \"%s\"", v);
}

static void
bash_cmd(FILE *f, const struct opt_cmd *c)
{
	const struct opt *p;
	bool first = true;

	fprintf(f, "\t%s)\n\t\tcase \"$opt\" in\n", c->name);
	EACH(c, p)
	{
		if (!p->arg || p->flags & OPT_HIDDEN)
			continue;
		fprintf(f, "\t\t--%s", p->name);
		if (p->shortname && !(p->flags & OPT_OPTARG))
			fprintf(f, "|-%c", p->shortname);
		fputs(")\n\t\t\t", f);
		if (p->flags & OPT_OPTARG)
			fputs("if [ -n \"$eq\" ]; then\n\t\t\t\t", f);
		if (p->values)
			bash_values(f, p->values);
		else
			fputs("COMPREPLY=()", f);
		fputs(p->flags & OPT_OPTARG ? "\n\t\t\t\treturn 0\n\t\t\tfi ;;\n"
		                            : "\n\t\t\treturn 0 ;;\n",
		      f);
	}
	fputs("\t\tesac\n\t\tcase \"$cur\" in\n\t\t-*)\n\t\t\t_rrkit_words \"",
	      f);
	EACH(c, p)
	{
		if (p->flags & OPT_HIDDEN)
			continue;
		fprintf(f, "%s--%s", first ? "" : " ", p->name);
		first = false;
	}
	fputs("\"\n\t\t\treturn 0 ;;\n\t\tesac\n", f);
	if (c->operand_values && c->operand_values[0] != '@') {
		fputs("\t\tif [ \"$COMP_CWORD\" -eq 2 ]; then\n\t\t\t", f);
		bash_values(f, c->operand_values);
		fputs("\n\t\t\treturn 0\n\t\tfi\n", f);
	}
	if (c->operands)
		fputs("\t\t_rrkit_files ;;\n", f);
	else
		fputs("\t\tCOMPREPLY=() ;;\n", f);
}

static void
bash(FILE *f)
{
	size_t i;

	fputs("# bash completion for rrkit; written by 'rrkit completion bash'\n"
	      "# (install: make install, or source it from ~/.bashrc)\n"
	      "_rrkit_words() {\n"
	      "\tlocal IFS=$' \\t\\n'\n"
	      "\tCOMPREPLY=($(compgen -W \"$1\" -- \"$cur\"))\n"
	      "}\n"
	      "_rrkit_files() {\n"
	      "\tlocal IFS=$'\\n'\n"
	      "\tcompopt -o filenames 2>/dev/null\n"
	      "\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "}\n"
	      "_rrkit_dirs() {\n"
	      "\tlocal IFS=$'\\n'\n"
	      "\tcompopt -o filenames 2>/dev/null\n"
	      "\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n"
	      "}\n"
	      "# a comma-separated list: complete the last item\n"
	      "_rrkit_list() {\n"
	      "\tlocal IFS=$' \\t\\n' pre=\n"
	      "\tcase \"$cur\" in *,*) pre=${cur%,*}, cur=${cur##*,} ;; esac\n"
	      "\tCOMPREPLY=($(compgen -P \"$pre\" -W \"$1\" -- \"$cur\"))\n"
	      "}\n"
	      "_rrkit() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= opt= eq=\n"
	      "\t[ \"$COMP_CWORD\" -ge 1 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tCOMPREPLY=()\n"
	      "\tif [ \"$COMP_CWORD\" -le 1 ]; then\n"
	      "\t\t_rrkit_words \"",
	      f);
	for (i = 0; i < cli_ncommands; i++)
		fprintf(f, "%s%s", i ? " " : "", cli_commands[i]->name);
	fputs("\"\n"
	      "\t\treturn 0\n"
	      "\tfi\n"
	      "\t# the option whose value is being completed: '--opt VALUE',\n"
	      "\t# or '--opt=VALUE' (one word, or three when '=' breaks words)\n"
	      "\tcase \"$cur\" in\n"
	      "\t--*=*) opt=${cur%%=*} cur=${cur#*=} eq=1 ;;\n"
	      "\t=) opt=$prev cur= eq=1 ;;\n"
	      "\t*)\n"
	      "\t\tif [ \"$prev\" = = ] && [ \"$COMP_CWORD\" -ge 3 ]; then\n"
	      "\t\t\topt=${COMP_WORDS[COMP_CWORD-2]} eq=1\n"
	      "\t\telse\n"
	      "\t\t\topt=$prev\n"
	      "\t\tfi ;;\n"
	      "\tesac\n"
	      "\tcase \"${COMP_WORDS[1]}\" in\n",
	      f);
	for (i = 0; i < cli_ncommands; i++)
		bash_cmd(f, cli_commands[i]);
	fputs("\thelp)\n\t\t_rrkit_words \"--man", f);
	for (i = 0; i < cli_ncommands; i++)
		fprintf(f, " %s", cli_commands[i]->name);
	fputs("\" ;;\n\tcompletion)\n\t\t_rrkit_words \"bash zsh\" ;;\n"
	      "\tesac\n\treturn 0\n}\ncomplete -F _rrkit rrkit\n",
	      f);
}

/* -------------------------------------------------------------- zsh */

/* The first sentence of `s`, without what _arguments would read as
 * syntax, cut at 60 bytes. */
static void
zsh_desc(FILE *f, const char *s)
{
	size_t n = 0;
	for (; *s && n < 60; s++, n++) {
		if (*s == '.' && (s[1] == ' ' || !s[1]))
			break;
		if (strchr("[]:'\\`$\"", *s))
			continue;
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static void
zsh_action(FILE *f, const char *v)
{
	if (!v)
		fputs(" ", f);
	else if (!strcmp(v, "@file"))
		fputs("_files", f);
	else if (!strcmp(v, "@dir"))
		fputs("_files -/", f);
	else if (!strcmp(v, "@rule")) {
		fputs("_values -s , rule ", f);
		rule_ids(f, " ");
	} else
		fprintf(f, "(%s)", v);
}

static void
zsh_opt(FILE *f, const struct opt *p, bool isshort)
{
	fputs(" \\\n\t\t'", f);
	if (p->flags & OPT_REPEAT)
		fputc('*', f);
	if (isshort)
		fprintf(f, "-%c%s", p->shortname, p->arg ? "+" : "");
	else
		fprintf(f, "--%s%s", p->name,
		        !p->arg                 ? ""
		        : p->flags & OPT_OPTARG ? "=-"
		                                : "=");
	fputc('[', f);
	zsh_desc(f, p->help);
	fputc(']', f);
	if (p->arg) {
		fputs(p->flags & OPT_OPTARG ? "::" : ":", f);
		zsh_desc(f, p->arg);
		fputc(':', f);
		zsh_action(f, p->values);
	}
	fputc('\'', f);
}

static void
zsh_cmd(FILE *f, const struct opt_cmd *c)
{
	const struct opt *p;

	fprintf(f, "\t%s)\n\t\t_arguments -s -S", c->name);
	EACH(c, p)
	{
		if (p->flags & OPT_HIDDEN)
			continue;
		zsh_opt(f, p, false);
		if (p->shortname && !(p->flags & OPT_OPTARG))
			zsh_opt(f, p, true);
	}
	if (c->operand_values && c->operand_values[0] != '@')
		fprintf(f, " \\\n\t\t'1:target:(%s)'", c->operand_values);
	if (c->operands)
		fputs(" \\\n\t\t'*:file:_files'", f);
	fputs(" ;;\n", f);
}

static void
zsh(FILE *f)
{
	size_t i;

	fputs("#compdef rrkit\n"
	      "# zsh completion for rrkit; written by 'rrkit completion zsh'\n"
	      "_rrkit() {\n"
	      "\tlocal -a cmds\n"
	      "\tcmds=(\n",
	      f);
	for (i = 0; i < cli_ncommands; i++) {
		fprintf(f, "\t\t'%s:", cli_commands[i]->name);
		zsh_desc(f, cli_commands[i]->summary);
		fputs("'\n", f);
	}
	fputs("\t)\n"
	      "\tif (( CURRENT == 2 )); then\n"
	      "\t\t_describe -t commands 'rrkit command' cmds\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tlocal cmd=$words[2]\n"
	      "\tshift words\n"
	      "\t(( CURRENT-- ))\n"
	      "\tcase $cmd in\n",
	      f);
	for (i = 0; i < cli_ncommands; i++)
		zsh_cmd(f, cli_commands[i]);
	fputs("\thelp)\n\t\t_arguments '--man[the man page]' '1:command:(", f);
	for (i = 0; i < cli_ncommands; i++)
		fprintf(f, "%s%s", i ? " " : "", cli_commands[i]->name);
	fputs(")' ;;\n\tcompletion)\n\t\t_arguments '1:shell:(bash zsh)' ;;\n"
	      "\tesac\n}\n_rrkit \"$@\"\n",
	      f);
}

int
opts_completion(FILE *f, const char *shell)
{
	if (!strcmp(shell, "bash"))
		bash(f);
	else if (!strcmp(shell, "zsh"))
		zsh(f);
	else
		return -1;
	return 0;
}
